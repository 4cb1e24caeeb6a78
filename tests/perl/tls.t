# HTTPS through httpc::ssl contexts against the TLS test servers, the
# headers object and the status constants, through `use httpc;`.
use strict;
use warnings;
use Test::More;
use httpc;

my $tls   = $ENV{HTTPC_TEST_TLS_PORT} or BAIL_OUT('HTTPC_TEST_TLS_PORT not set');
my $ca    = $ENV{HTTPC_TEST_CA};
my $raw   = $ENV{HTTPC_TEST_RAW_PORT};
my $host  = $ENV{HTTPC_TEST_HOST} || '127.0.0.1';
my $docroot = $ENV{HTTPC_TEST_DOCROOT};
my %port = (unknownca => $ENV{HTTPC_TEST_TLS_UNKNOWNCA_PORT},
            wronghost => $ENV{HTTPC_TEST_TLS_WRONGHOST_PORT},
            clientcert => $ENV{HTTPC_TEST_TLS_CLIENTCERT_PORT});
my ($cert, $key) = @ENV{qw(HTTPC_TEST_CLIENT_CERT HTTPC_TEST_CLIENT_KEY)};
my $whoami = "CN=httpc test client,O=httpc tests\n";

sub slurp { open my $fh, '<:raw', $_[0] or die "$_[0]: $!"; local $/; <$fh> }
sub get {
    my ($port, %opt) = @_;
    my $path = delete $opt{path} // '/';
    my $c = httpc::HTTPSConnection->new('localhost', $port, %opt);
    $c->request('GET', $path);
    my $r = $c->getresponse;
    return ($r->status, $r->read);
}
sub err_of { my $code = shift; return eval { $code->(); 1 } ? undef : $@ }

{   # verified HTTPS with our CA
    my $ctx = httpc::ssl::create_default_context(cafile => $ca);
    my ($st, $body) = get($tls, context => $ctx);
    is($st, 200, 'HTTPS GET with cafile: 200');
    is($body, slurp("$docroot/index.html"), 'HTTPS body is the document');
    ok($ctx->check_hostname && $ctx->verify_mode == httpc::ssl::CERT_REQUIRED,
        'default context: check_hostname on, CERT_REQUIRED');
    ($st) = get($tls, context => httpc::ssl::create_default_context(cadata => slurp($ca)));
    is($st, 200, 'cadata (PEM text) is trusted as well');
    my $c = httpc::HTTPSConnection->new('localhost', $tls, context => $ctx);
    $c->request('GET', '/100b');
    is($c->getresponse->read, ('x' x 99) . "\n", 'keep-alive request 1');
    $c->request('GET', '/100b');
    is($c->getresponse->read, ('x' x 99) . "\n", 'keep-alive request 2 on the same TLS connection');
    is(httpc::HTTPSConnection->new('localhost')->port, httpc::HTTPS_PORT, 'default port 443');
}

{   # failures, caught by class
    my $ctx = httpc::ssl::create_default_context(cafile => $ca);
    my $e = err_of(sub { get($port{unknownca}, context => $ctx) });
    isa_ok($e, 'httpc::SSLCertVerificationError', 'unknown CA');
    ok($e && $e->isa('httpc::SSLError') && $e->isa('httpc::OSError'), 'an SSLError and an OSError');
    like("$e", qr/^SSLCertVerificationError: .*certificate verify failed/, 'message names the failure');
    $e = err_of(sub { get($port{wronghost}, context => $ctx) });
    isa_ok($e, 'httpc::SSLCertVerificationError', 'wrong host');
    like($e && $e->message, qr/hostname|match/i, 'wrong host: the message says why');
    $e = err_of(sub { get($tls) });
    isa_ok($e, 'httpc::SSLCertVerificationError', 'system CAs do not trust the test CA');
}

{   # what the checks can be turned off by
    my $u = httpc::ssl::create_unverified_context();
    ok(!$u->check_hostname && $u->verify_mode == httpc::ssl::CERT_NONE, 'unverified: CERT_NONE, no hostname check');
    is((get($port{unknownca}, context => $u))[0], 200, 'unverified context: unknown CA accepted');
    is((get($port{wronghost}, context => $u))[0], 200, 'unverified context: wrong host accepted');
    my $ctx = httpc::ssl::create_default_context(cafile => $ca);
    is((get($port{wronghost}, context => $ctx, check_hostname => 0))[0], 200,
        'check_hostname => 0 on the constructor');
    is($ctx->check_hostname, 0, 'and it changed the context, as http.client does');
    my $e = err_of(sub { get($port{unknownca}, context => $ctx) });
    isa_ok($e, 'httpc::SSLCertVerificationError', 'without the hostname check the chain is still verified');
    $e = err_of(sub { httpc::ssl::create_default_context(cafile => $ca)->verify_mode(httpc::ssl::CERT_NONE) });
    isa_ok($e, 'httpc::ValueError', 'CERT_NONE while check_hostname is on');
    $ctx = httpc::ssl::create_default_context(cafile => $ca);
    $ctx->minimum_version(httpc::ssl::TLSv1_3);
    is($ctx->minimum_version, httpc::ssl::TLSv1_3, 'minimum_version reads back');
    is((get($tls, context => $ctx))[0], 200, 'TLS 1.3 minimum against a 1.2/1.3 server');
    $e = err_of(sub { $ctx->load_verify_locations });
    isa_ok($e, 'httpc::ValueError', 'load_verify_locations with nothing');
    $e = err_of(sub { $ctx->load_verify_locations('/nonexistent/ca.pem') });
    ok($e && $e->isa('httpc::OSError'), 'a missing cafile: ' . ($e ? ref $e : 'no error'));
    my $v = httpc::ssl::create_unverified_context();
    $v->verify_mode(httpc::ssl::CERT_REQUIRED);
    $v->load_verify_locations($ca);
    is((get($port{wronghost}, context => $v))[0], 200, 'CERT_REQUIRED without check_hostname: chain only');
    is(err_of(sub { get($port{unknownca}, context => $v) })->name, 'SSLCertVerificationError',
        'and an unknown CA still fails');
}

{   # client certificates
    my $ctx = httpc::ssl::create_default_context(cafile => $ca);
    my ($st, $body) = get($port{clientcert}, context => $ctx, path => '/whoami');
    is($st, 400, 'no client certificate: nginx answers 400');
    $ctx->load_cert_chain($cert, $key);
    ($st, $body) = get($port{clientcert}, context => $ctx, path => '/whoami');
    is("$st $body", "200 $whoami", 'load_cert_chain: the server sees the client');
    ($st, $body) = get($port{clientcert}, path => '/whoami',
        context => httpc::ssl::create_default_context(cafile => $ca), cert_file => $cert, key_file => $key);
    is("$st $body", "200 $whoami", 'legacy cert_file/key_file options');
    $ctx = httpc::ssl::create_default_context(cafile => $ca);
    $ctx->load_cert_chain($cert, $ENV{HTTPC_TEST_CLIENT_KEY_ENC}, sub { $ENV{HTTPC_TEST_CLIENT_KEY_PASS} });
    is((get($port{clientcert}, context => $ctx, path => '/whoami'))[1], $whoami, 'encrypted key, password from a sub');
    my $e = err_of(sub { $ctx->load_cert_chain($cert, $ENV{HTTPC_TEST_CLIENT_KEY_ENC}, 'wrong') });
    isa_ok($e, 'httpc::SSLError', 'a wrong password');
}

{   # the headers object
    my $c = httpc::HTTPConnection->new($host, $raw);
    $c->request('GET', '/repeated');
    my $r = $c->getresponse;
    my $m = $r->msg;
    isa_ok($m, 'httpc::HTTPMessage');
    is($r->headers, $m, 'headers is msg');
    is($m->get('set-COOKIE'), 'a=1', 'get is case-insensitive, first value');
    is_deeply([$m->get_all('x-multi')], ['one', 'two'], 'get_all in order');
    is_deeply([$m->get_all('nope')], [], 'get_all of an absent header: empty');
    is($m->get('nope', 'dflt'), 'dflt', 'get with a default');
    is_deeply([$m->keys], [map { $_->[0] } $r->getheaders], 'keys in arrival order');
    is_deeply([$m->keys], [qw(Set-Cookie X-Multi Set-Cookie X-Multi Content-Length)], 'keys as sent');
    is_deeply([$m->values], [map { $_->[1] } $r->getheaders], 'values in arrival order');
    is_deeply([$m->items], [$r->getheaders], 'items are the [name, value] pairs');
    is($m->len, 5, 'len');
    like("$m", qr/^Set-Cookie: a=1\nX-Multi: one\n.*\n\n\z/s, 'stringifies as a header block');
}

{   # constants, from the one status list
    is(httpc::HTTP_PORT, 80, 'HTTP_PORT');
    is(httpc::HTTPS_PORT, 443, 'HTTPS_PORT');
    is(httpc::OK, 200, 'httpc::OK');
    is(httpc::NOT_FOUND + 0, 404, 'httpc::NOT_FOUND');
    is($httpc::responses{httpc::IM_A_TEAPOT}, "I'm a Teapot", 'responses{418}');
    is($httpc::HTTPStatus{NETWORK_AUTHENTICATION_REQUIRED}, 511, '%HTTPStatus');
    my @py = `python3 -c 'import http; [print(s.value, s.name, s.phrase, sep="\\t") for s in http.HTTPStatus]' 2>/dev/null`;
    SKIP: {
        skip 'python3 not available', 1 unless @py;
        chomp @py;
        my @ours = map { join "\t", $_, { reverse %httpc::HTTPStatus }->{$_}, $httpc::responses{$_} }
            sort { $a <=> $b } keys %httpc::responses;
        is_deeply(\@ours, \@py, 'the same codes, names and phrases as Python\'s http.HTTPStatus');
    }
}

done_testing();
