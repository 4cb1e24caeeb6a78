# The reference document's example sessions, binary bodies, lifetimes and
# the error tree, through `use httpc;` against the test servers.
use strict;
use warnings;
use Test::More;
use httpc;

my $host = $ENV{HTTPC_TEST_HOST} || '127.0.0.1';
my $port = $ENV{HTTPC_TEST_NGINX_PORT} or BAIL_OUT('HTTPC_TEST_NGINX_PORT not set');
my $raw  = $ENV{HTTPC_TEST_RAW_PORT}   or BAIL_OUT('HTTPC_TEST_RAW_PORT not set');
my $docroot = $ENV{HTTPC_TEST_DOCROOT};

sub slurp { open my $fh, '<:raw', $_[0] or die "$_[0]: $!"; local $/; <$fh> }

{   # GET, then 200-byte reads while not closed, then a 404, on one connection
    my $c = httpc::HTTPConnection->new($host, $port);
    $c->request('GET', '/');
    my $r1 = $c->getresponse;
    is($r1->status . ' ' . $r1->reason, '200 OK', 'GET / status and reason');
    my $data1 = $r1->read;
    is($data1, slurp("$docroot/index.html"), 'GET / whole body');
    $c->request('GET', '/');
    $r1 = $c->getresponse;
    my ($chunks, $all, $max) = (0, '', 0);
    while (!$r1->closed) {
        my $piece = $r1->read(200);
        $chunks++;
        $all .= $piece;
        $max = length $piece if length $piece > $max;
    }
    is($all, $data1, '200-byte reads while not closed give the same body');
    ok($max == 200 && $chunks == int((length($data1) + 199) / 200), "reads of at most 200 bytes ($chunks)");
    is(substr($all, 0, 15), '<!doctype html>', 'body starts as the document says');
    $c->request('GET', '/parrot.spam');
    my $r2 = $c->getresponse;
    is($r2->status . ' ' . $r2->reason, '404 Not Found', 'invalid request: 404 Not Found');
    ok(length($r2->read) > 0, '404 body read');
    $c->close;
    $c->close;
    pass('close is idempotent');
}

{   # HEAD never returns data
    my $c = httpc::HTTPConnection->new($host, $port);
    $c->request('HEAD', '/');
    my $res = $c->getresponse;
    is($res->status, 200, 'HEAD status');
    my $data = $res->read;
    is(length($data), 0, 'HEAD body is empty');
    ok($res->getheader('Content-Length') > 0, 'HEAD keeps Content-Length');
}

{   # POST a form: 302 Found
    my $params = '%40number=12524&%40type=issue&%40action=show';
    my $c = httpc::HTTPConnection->new($host, $port);
    $c->request('POST', '/form', $params,
        { 'Content-type' => 'application/x-www-form-urlencoded', 'Accept' => 'text/plain' });
    my $r = $c->getresponse;
    is($r->status . ' ' . $r->reason, '302 Found', 'POST form: 302 Found');
    is($r->read, 'Redirecting to <a href="/landing">/landing</a>', 'POST form body');
    is($r->getheader('Location'), '/landing', 'Location header');
    $c->close;
}

{   # PUT
    my $body = "a body with a NUL \0 and \xff bytes";
    my $c = httpc::HTTPConnection->new($host, $port);
    $c->request('PUT', '/file', $body);
    my $r = $c->getresponse;
    is($r->status . ' ' . $r->reason, '200 OK', 'PUT status');
    is($r->read, 'stored ' . length($body) . " bytes\n", 'PUT body length counted by the server');
}

{   # binary-safe both ways
    my $blob = join '', map { chr } 0 .. 255, 0, 0, 255;
    my $c = httpc::HTTPConnection->new($host, $port);
    $c->request('POST', '/echo', $blob);
    my $r = $c->getresponse;
    my $echo = $r->read;
    is(substr($echo, -length $blob), $blob, 'request and response bodies keep every byte');
    $c->request('GET', '/1m');
    $r = $c->getresponse;
    my $m = $r->read;
    ok($m eq slurp("$docroot/1m"), '1 MiB body with NULs intact');
    my $buf = "\0" x 100;
    $c->request('GET', '/100b');
    $r = $c->getresponse;
    is($r->readinto($buf), 100, 'readinto fills the buffer');
    is($buf, ('x' x 99) . "\n", 'readinto bytes');
    eval { $c->request('POST', '/echo', "\x{263a}") };
    ok($@ && $@ =~ /Wide character/, 'a wide character is refused, not mangled');
}

{   # IncompleteRead, caught by class and by a parent class
    my $c = httpc::HTTPConnection->new($host, $raw);
    $c->request('GET', '/truncated-cl');
    my $r = $c->getresponse;
    eval { $r->read; 1 } and fail('truncated body must raise');
    my $e = $@;
    isa_ok($e, 'httpc::IncompleteRead');
    ok($e->isa('httpc::HTTPException') && $e->isa('httpc::Error'), 'IncompleteRead is an HTTPException');
    ok(!$e->isa('httpc::OSError'), 'IncompleteRead is not an OSError');
    is($e->partial, '0123456789', 'partial');
    is($e->expected, 90, 'expected');
    like($e->message, qr/10 bytes read, 90 more expected/, 'message');
    is("$e", 'IncompleteRead: ' . $e->message, 'stringifies as Name: message');
    my $caught = '';
    eval { $c->request('GET', '/truncated-cl'); $c->getresponse->read; 1 }
        or $caught = $@->isa('httpc::HTTPException') ? 'parent' : 'other';
    is($caught, 'parent', 'caught by the parent class HTTPException');
}

{   # RemoteDisconnected: BadStatusLine and ConnectionResetError at once
    my $c = httpc::HTTPConnection->new($host, $raw);
    $c->request('GET', '/close-no-response');
    eval { $c->getresponse; 1 } and fail('no response must raise');
    my $e = $@;
    isa_ok($e, 'httpc::RemoteDisconnected');
    ok($e->isa('httpc::BadStatusLine') && $e->isa('httpc::HTTPException'), 'a BadStatusLine');
    ok($e->isa('httpc::ConnectionResetError') && $e->isa('httpc::OSError'), 'and a ConnectionResetError');
    $c->request('GET', '/ok');
    is($c->getresponse->read, 'hello', 'the connection object is reusable (auto-reconnect)');
}

{   # the tree comes from the C library, not from a copy
    my @ok = grep {
        my $n = httpc::code_name($_);
        my @p; for (my $i = 0; (my $p = httpc::code_parent($_, $i)); $i++) { push @p, $p }
        no strict 'refs';
        join(',', @{"httpc::${n}::ISA"}) eq join(',', @p ? map { 'httpc::' . httpc::code_name($_) } @p : 'httpc::Error');
    } $httpc::E_HTTPEXCEPTION .. $httpc::E_LAST;
    is(scalar @ok, $httpc::E_LAST - $httpc::E_HTTPEXCEPTION + 1, 'every class mirrors httpc_code_parent');
    eval { httpc::HTTPConnection->new('h:abc') };
    ok($@ && $@->isa('httpc::InvalidURL'), 'bad port: InvalidURL from the constructor');
}

{   # lifetimes: a response outlives its connection object; closed handles answer
    my $r;
    {
        my $c = httpc::HTTPConnection->new($host, $port);
        $c->request('GET', '/100b');
        $r = $c->getresponse;
    }
    is($r->read, ('x' x 99) . "\n", 'response readable after its connection object is gone');
    is($r->read, '', 'reading past the end gives ""');
    $r->close;
    $r->close;
    is($r->read, '', 'read after close gives ""');
    ok($r->closed, 'closed after close');
    my $c = httpc::HTTPConnection->new($host, $port);
    $c->close;
    $c->request('GET', '/100b');
    is(length($c->getresponse->read), 100, 'request after close reconnects');
    for (1 .. 2000) {
        my $x = httpc::HTTPConnection->new($host, $port);
        $x->request('GET', '/100b');
        my $y = $x->getresponse;
        undef $x;    # the response goes last
    }
    pass('2000 connection/response pairs freed in either order');
    $c->DESTROY;
    eval { $c->request('GET', '/') };
    ok($@ && $@->isa('httpc::NotConnected'), 'a call on a destroyed handle raises NotConnected');
}

done_testing();
