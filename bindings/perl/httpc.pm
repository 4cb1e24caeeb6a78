# httpc.pm -- http.client for Perl: connections and responses as objects,
# errors thrown with die as objects whose classes are the C library's own
# error tree (CONTRACT.md section 4), built at load time from
# httpc_code_name/httpc_code_parent so no copy of the hierarchy lives here.
#
# The SWIG module httpc_core (flat functions over pointers, in package
# httpc) returns codes; this layer owns every handle, frees it once from
# DESTROY (Perl's reference counting makes that prompt), and turns codes
# into exceptions.  A response keeps its connection alive in C, so objects
# may go away in any order.
package httpc;
use strict;
use warnings;
use httpc_core;

our $VERSION = httpc::version();
use constant HTTP_PORT  => 80;
use constant HTTPS_PORT => 443;

# Status codes: %httpc::responses (code -> reason phrase), %httpc::HTTPStatus
# (name -> code) and every name as a constant (httpc::OK, httpc::NOT_FOUND).
# The list is read from httpc_status.tsv beside this file, which the build
# extracts from the Lua module's table, so there is one copy of it.  (The
# scalars $httpc::OK, $httpc::E_... are the C library's codes, not these.)
our (%responses, %HTTPStatus);
BEGIN {
    require File::Basename;
    my $file = File::Basename::dirname(__FILE__) . '/httpc_status.tsv';
    open my $fh, '<', $file or die "httpc: cannot read the status list $file: $!\n";
    while (my $line = <$fh>) {
        chomp $line;
        my ($code, $name, $phrase) = split /\t/, $line, 3;
        $responses{$code} = $phrase;
        $HTTPStatus{$name} = 0 + $code;
    }
    close $fh;
    die "httpc: no status codes in $file\n" unless %HTTPStatus;
    require constant;
    constant->import({%HTTPStatus});
}

# ---- the error tree ------------------------------------------------------

package httpc::Error;
use overload '""' => sub { $_[0]->name . ': ' . $_[0]->message }, 'bool' => sub { 1 },
    fallback => 1;

sub new {
    my ($class, %f) = @_;
    return bless {%f}, $class;
}
sub throw { my $class = shift; die $class->new(@_) }
sub name     { $_[0]{name} }
sub code     { $_[0]{code} }
sub message  { $_[0]{message} }
sub partial  { $_[0]{partial} }    # IncompleteRead: the bytes that did arrive
sub expected { $_[0]{expected} }   # IncompleteRead: bytes still missing, or undef
sub errno    { $_[0]{errno} }      # OS errors
sub line     { $_[0]{line} }       # BadStatusLine / UnknownProtocol
sub what     { $_[0]{what} }       # LineTooLong
sub reason   { $_[0]{reason} }     # SSL errors
# $e->is('HTTPException'): a class test by the contract's short names.
sub is { my ($self, $name) = @_; return $self->isa($name =~ /::/ ? $name : "httpc::$name") }

package httpc;

# Every error code's class is httpc::<Name>; its @ISA lists its parents in
# the library's order (RemoteDisconnected: BadStatusLine, then
# ConnectionResetError); the roots descend from httpc::Error.
our %ERROR_CLASS;
{
    no strict 'refs';
    for my $code ($httpc::E_HTTPEXCEPTION .. $httpc::E_LAST) {
        my $name = httpc::code_name($code);
        next unless defined $name;
        my @parents;
        for (my $n = 0; (my $p = httpc::code_parent($code, $n)); $n++) {
            push @parents, 'httpc::' . httpc::code_name($p);
        }
        @{"httpc::${name}::ISA"} = @parents ? @parents : ('httpc::Error');
        $ERROR_CLASS{$code} = "httpc::$name";
    }
}

# Raises the error a handle keeps.  $errfn is the binding's error getter;
# the errinfo it returns is a copy we own and free here.
sub _raise {
    my ($errfn, $h) = @_;
    my $e = $errfn->($h);
    die "httpc: out of memory\n" unless $e;
    my $code = httpc::httpc_errinfo_code($e);
    my $expected = httpc::httpc_errinfo_expected($e);
    my %f = (
        code     => $code,
        name     => httpc::code_name($code),
        message  => httpc::httpc_errinfo_message($e),
        partial  => scalar httpc::httpc_errinfo_partial($e),
        expected => $expected < 0 ? undef : $expected,
        errno    => httpc::httpc_errinfo_errno($e),
        line     => scalar httpc::httpc_errinfo_line($e),
        what     => httpc::httpc_errinfo_what($e),
        reason   => httpc::httpc_errinfo_reason($e),
    );
    httpc::delete_httpc_errinfo($e);
    my $class = $ERROR_CLASS{$code} || 'httpc::HTTPException';
    die $class->new(%f);
}

sub _closed_handle {
    httpc::NotConnected->throw(code => $httpc::E_NOTCONNECTED, name => 'NotConnected',
        message => 'operation on a destroyed httpc object', partial => '', line => '');
}

# ---- connections ---------------------------------------------------------

package httpc::HTTPConnection;
use Scalar::Util ();

# httpc::HTTPConnection->new($host [, $port] [, timeout => s,
#   source_address => [$host, $port], blocksize => n])
sub new {
    my ($class, $host, @rest) = @_;
    my $port = (@rest % 2) ? shift @rest : undef;
    my %opt = @rest;
    return $class->_make($host, $port, undef, %opt);
}

sub _make {
    my ($class, $host, $port, $tls, %opt) = @_;
    die "httpc::HTTPConnection: host required\n" unless defined $host;
    my $h = httpc::conn_new($host, defined $port ? $port : -1, $tls);
    die "httpc: out of memory\n" unless $h;
    my $self = bless { h => $h, tls => $tls }, $class;
    my $e = httpc::httpc_conn_error($h);
    my $code = $e ? httpc::httpc_errinfo_code($e) : 0;
    httpc::delete_httpc_errinfo($e) if $e;
    httpc::_raise(\&httpc::httpc_conn_error, $h) if $code;
    $self->{timeout} = $opt{timeout};
    httpc::httpc_conn_set_timeout($h, $opt{timeout}) if defined $opt{timeout};
    if ($opt{source_address}) {
        my ($sh, $sp) = @{ $opt{source_address} };
        $self->_check(httpc::httpc_conn_set_source_address($h, $sh // '', $sp // 0));
    }
    httpc::httpc_conn_set_blocksize($h, $opt{blocksize}) if $opt{blocksize};
    return $self;
}

sub _h { $_[0]{h} // httpc::_closed_handle() }
sub _check {
    my ($self, $rc) = @_;
    httpc::_raise(\&httpc::httpc_conn_error, $self->_h) if $rc;
    return 1;
}

sub host    { httpc::httpc_conn_host($_[0]->_h) }
sub port    { httpc::httpc_conn_port($_[0]->_h) }
sub timeout { $_[0]{timeout} }
sub connect { $_[0]->_check(httpc::httpc_conn_connect($_[0]->_h)) }
# Idempotent, and the object stays usable: the next request reconnects.
sub close   { my $h = $_[0]{h}; httpc::httpc_conn_close($h) if $h; 1 }
sub fileno  { httpc::httpc_conn_fileno($_[0]->_h) }
sub set_debuglevel { httpc::httpc_conn_set_debuglevel($_[0]->_h, $_[1]); 1 }

sub set_tunnel {
    my ($self, $host, $port, $headers) = @_;
    $self->_check(httpc::httpc_conn_set_tunnel($self->_h, $host, $port // -1));
    for my $kv (_pairs($headers)) {
        $self->_check(httpc::httpc_conn_add_tunnel_header($self->_h, $kv->[0], $kv->[1]));
    }
    return 1;
}

# Headers: a hash ref, or an array ref of [name, value] pairs when order
# matters; an array ref value repeats the header.
sub _pairs {
    my ($headers) = @_;
    return () unless $headers;
    my @kv = ref $headers eq 'HASH'
        ? map { [$_, $headers->{$_}] } sort keys %$headers
        : @$headers;
    return map { my ($n, $v) = @$_; ref $v eq 'ARRAY' ? (map { [$n, $_] } @$v) : [$n, $v] } @kv;
}

sub _is_handle { my $b = shift; return ref $b eq 'GLOB' || (Scalar::Util::blessed($b) && $b->can('read')) }

# $c->request($method, $url [, $body [, \%headers [, encode_chunked => 1]]])
# $body: a byte string, or a file handle (sent chunked unless a length
# header was given, as http.client does).
sub request {
    my ($self, $method, $url, $body, $headers, %opt) = @_;
    my $h = $self->_h;
    for my $kv (_pairs($headers)) {
        $self->_check(httpc::httpc_conn_request_header($h, $kv->[0], $kv->[1]));
    }
    my $chunked = $opt{encode_chunked} ? $httpc::ENCODE_CHUNKED : 0;
    if (defined $body && ref $body && _is_handle($body)) {
        $self->_check(httpc::httpc_conn_request($h, $method, $url, undef,
            $httpc::BODY_STREAM | $chunked));
        my $bs = httpc::httpc_conn_get_blocksize($h);
        while (1) {
            my $n = read($body, my $piece, $bs);
            die "httpc: reading the body failed: $!\n" unless defined $n;
            last unless $n;
            $self->_check(httpc::httpc_conn_body_write($h, $piece));
        }
        return $self->_check(httpc::httpc_conn_body_end($h));
    }
    return $self->_check(httpc::httpc_conn_request($h, $method, $url, $body,
        (defined $body ? $httpc::BODY_BYTES : $httpc::BODY_NONE) | $chunked));
}

sub putrequest {
    my ($self, $method, $url, $skip_host, $skip_ae) = @_;
    $self->_check(httpc::httpc_conn_putrequest($self->_h, $method, $url, $skip_host ? 1 : 0,
        $skip_ae ? 1 : 0));
}
sub putheader {
    my ($self, $name, $first, @more) = @_;
    $self->_check(httpc::httpc_conn_putheader($self->_h, $name, $first));
    $self->_check(httpc::httpc_conn_putheader_continue($self->_h, $_)) for @more;
    return 1;
}
sub endheaders {
    my ($self, $body, %opt) = @_;
    $self->_check(httpc::httpc_conn_endheaders($self->_h, $body,
        $opt{encode_chunked} ? $httpc::ENCODE_CHUNKED : 0));
}
sub send { $_[0]->_check(httpc::httpc_conn_send($_[0]->_h, $_[1])) }

sub getresponse {
    my ($self) = @_;
    my ($rc, $r) = httpc::httpc_conn_getresponse($self->_h);
    $self->_check($rc);
    return bless { h => $r }, 'httpc::HTTPResponse';
}

sub DESTROY {
    my ($self) = @_;
    my $h = delete $self->{h};
    httpc::delete_httpc_conn($h) if $h;
}

# ---- HTTPS ---------------------------------------------------------------

package httpc::HTTPSConnection;
our @ISA = ('httpc::HTTPConnection');

# httpc::HTTPSConnection->new($host [, $port] [, context => $ctx,
#   check_hostname => bool, cert_file => f, key_file => f, timeout => s, ...])
# Without a context, httpc::ssl::create_default_context(); check_hostname,
# cert_file and key_file change the context, as http.client's do.
sub new {
    my ($class, $host, @rest) = @_;
    my $port = (@rest % 2) ? shift @rest : undef;
    my %opt = @rest;
    my $ctx = $opt{context} // httpc::ssl::create_default_context();
    die "httpc::HTTPSConnection: context must be an httpc::ssl::SSLContext\n"
        unless Scalar::Util::blessed($ctx) && $ctx->isa('httpc::ssl::SSLContext');
    $ctx->check_hostname($opt{check_hostname}) if defined $opt{check_hostname};
    $ctx->load_cert_chain($opt{cert_file}, $opt{key_file})
        if defined $opt{cert_file} || defined $opt{key_file};
    my $self = $class->_make($host, $port, $ctx->_h, %opt);
    @$self{qw(context key_file cert_file)} = ($ctx, @opt{qw(key_file cert_file)});
    return $self;
}
sub context   { $_[0]{context} }
sub key_file  { $_[0]{key_file} }
sub cert_file { $_[0]{cert_file} }

# ---- TLS contexts (Python's ssl subset) -----------------------------------

package httpc::ssl;

use constant {
    CERT_NONE     => $httpc::CERT_NONE,
    CERT_OPTIONAL => $httpc::CERT_OPTIONAL,
    CERT_REQUIRED => $httpc::CERT_REQUIRED,
    TLSv1         => $httpc::TLS1_0,
    TLSv1_1       => $httpc::TLS1_1,
    TLSv1_2       => $httpc::TLS1_2,
    TLSv1_3       => $httpc::TLS1_3,
};

# create_default_context([cafile => f, capath => d, cadata => pem]):
# verification and hostname checks on; the system CAs, or only the given
# anchors when any is passed (as Python's).
sub create_default_context {
    my %opt = @_;
    my $own = defined $opt{cafile} || defined $opt{capath} || defined $opt{cadata};
    my $ctx = httpc::ssl::SSLContext->_new($own ? $httpc::TLS_VERIFY : $httpc::TLS_DEFAULT);
    $ctx->load_verify_locations(@opt{qw(cafile capath cadata)}) if $own;
    return $ctx;
}

# No certificate or hostname verification.
sub create_unverified_context { httpc::ssl::SSLContext->_new($httpc::TLS_UNVERIFIED) }

package httpc::ssl::SSLContext;

sub _new {
    my ($class, $kind) = @_;
    my $h = httpc::tls_ctx_new($kind);
    die "httpc::ssl: could not create an OpenSSL context\n" unless $h;
    return bless { h => $h }, $class;
}
sub _h { $_[0]{h} // httpc::_closed_handle() }
sub _check {
    my ($self, $rc) = @_;
    httpc::_raise(\&httpc::httpc_tls_ctx_error, $self->_h) if $rc;
    return 1;
}

# load_verify_locations($cafile [, $capath [, $cadata]]): a PEM file, a
# hashed directory, PEM text; at least one.
sub load_verify_locations {
    my ($self, $cafile, $capath, $cadata) = @_;
    unless (defined $cafile || defined $capath || defined $cadata) {
        httpc::ValueError->throw(code => $httpc::E_VALUE, name => 'ValueError',
            message => 'cafile, capath and cadata cannot be all omitted', partial => '', line => '');
    }
    $self->_check(httpc::httpc_tls_ctx_load_verify_locations($self->_h, $cafile, $capath))
        if defined $cafile || defined $capath;
    $self->_check(httpc::httpc_tls_ctx_load_verify_data($self->_h, $cadata)) if defined $cadata;
    return 1;
}

# load_cert_chain($certfile [, $keyfile [, $password]]); $password may be a
# code ref returning it, as in Python.
sub load_cert_chain {
    my ($self, $certfile, $keyfile, $password) = @_;
    $password = $password->() if ref $password eq 'CODE';
    $self->_check(httpc::httpc_tls_ctx_load_cert_chain($self->_h, $certfile, $keyfile, $password));
}

# Properties: $ctx->check_hostname reads, $ctx->check_hostname(0) sets (and
# returns the new value); the C library applies Python's rules between them.
sub check_hostname {
    my $self = shift;
    $self->_check(httpc::httpc_tls_ctx_set_check_hostname($self->_h, $_[0] ? 1 : 0)) if @_;
    return httpc::httpc_tls_ctx_get_check_hostname($self->_h) ? 1 : 0;
}
sub verify_mode {
    my $self = shift;
    $self->_check(httpc::httpc_tls_ctx_set_verify_mode($self->_h, $_[0])) if @_;
    return httpc::httpc_tls_ctx_get_verify_mode($self->_h);
}
sub minimum_version {
    my $self = shift;
    $self->_check(httpc::httpc_tls_ctx_set_minimum_version($self->_h, $_[0])) if @_;
    return httpc::httpc_tls_ctx_get_minimum_version($self->_h);
}

sub DESTROY {
    my ($self) = @_;
    my $h = delete $self->{h};
    httpc::delete_httpc_tls_ctx($h) if $h;
}

# ---- responses -----------------------------------------------------------

package httpc::HTTPResponse;

sub _h { $_[0]{h} // httpc::_closed_handle() }
sub _check {
    my ($self, $rc) = @_;
    httpc::_raise(\&httpc::httpc_response_error, $self->_h) if $rc;
    return 1;
}

sub status     { httpc::httpc_response_status($_[0]->_h) }
sub reason     { scalar httpc::httpc_response_reason($_[0]->_h) }
sub version    { httpc::httpc_response_version($_[0]->_h) }
sub will_close { httpc::httpc_response_will_close($_[0]->_h) ? 1 : 0 }
sub chunked    { httpc::httpc_response_chunked($_[0]->_h) ? 1 : 0 }
sub length     { my $n = httpc::httpc_response_length($_[0]->_h); $n < 0 ? undef : $n }
# True once the body has been read to its end, or after close.
sub closed     { httpc::httpc_response_closed($_[0]->_h) ? 1 : 0 }
sub isclosed   { $_[0]->closed }
sub fileno     { httpc::httpc_response_fileno($_[0]->_h) }
sub close      { my $h = $_[0]{h}; httpc::httpc_response_close($h) if $h; 1 }

# read([$amt]): the whole rest without $amt; "" at the end.
sub read {
    my ($self, $amt) = @_;
    my ($rc, $data) = httpc::httpc_response_read($self->_h, defined $amt ? $amt : -1);
    $self->_check($rc);
    return $data;
}
sub read1 {
    my ($self, $n) = @_;
    my ($rc, $data) = httpc::httpc_response_read1($self->_h, defined $n ? $n : -1);
    $self->_check($rc);
    return $data;
}
sub readline {
    my ($self, $limit) = @_;
    my ($rc, $data) = httpc::httpc_response_readline($self->_h, defined $limit ? $limit : -1);
    $self->_check($rc);
    return $data;
}
sub peek {
    my ($self, $n) = @_;
    my ($rc, $data) = httpc::httpc_response_peek($self->_h, defined $n ? $n : -1);
    $self->_check($rc);
    return $data;
}
# readinto($buf): fills $buf's existing bytes; returns how many arrived.
sub readinto {
    my $self = shift;
    my ($rc, $n) = httpc::httpc_response_readinto($self->_h, $_[0]);
    $self->_check($rc);
    return $n;
}

# getheader($name [, $default]): repeated headers joined with ", ".
sub getheader {
    my ($self, $name, $default) = @_;
    my ($found, $value) = httpc::httpc_response_getheader($self->_h, $name);
    return $found ? $value : $default;
}
# getheaders: ([name, value], ...) in arrival order.
sub getheaders {
    my ($self) = @_;
    my $h = $self->_h;
    my @out;
    for my $i (0 .. httpc::httpc_response_header_count($h) - 1) {
        my ($rc, $n, $v) = httpc::httpc_response_header_at($h, $i);
        push @out, [$n, $v] if $rc == 0;
    }
    return @out;
}

# msg / headers: the headers as an httpc::HTTPMessage (made once).
sub msg     { $_[0]{msg} //= httpc::HTTPMessage->new($_[0]->getheaders) }
sub headers { $_[0]->msg }

sub DESTROY {
    my ($self) = @_;
    my $h = delete $self->{h};
    httpc::delete_httpc_response($h) if $h;
}

# ---- HTTPMessage: http.client's header view ----------------------------------

package httpc::HTTPMessage;
# Case-insensitive lookups over the [name, value] pairs in arrival order;
# values are what the C parser kept.
use overload '""' => sub { join('', map { "$_->[0]: $_->[1]\n" } @{ $_[0]{list} }) . "\n" },
    'bool' => sub { 1 }, fallback => 1;

sub new { my ($class, @pairs) = @_; return bless { list => [@pairs] }, $class }

# get($name [, $default]): the first value, or $default.
sub get {
    my ($self, $name, $default) = @_;
    my $k = lc $name;
    for my $h (@{ $self->{list} }) { return $h->[1] if lc $h->[0] eq $k }
    return $default;
}
# get_all($name): every value, in order (an empty list when absent).
sub get_all {
    my ($self, $name) = @_;
    my $k = lc $name;
    return map { $_->[1] } grep { lc $_->[0] eq $k } @{ $self->{list} };
}
sub keys   { map { $_->[0] } @{ $_[0]{list} } }
sub values { map { $_->[1] } @{ $_[0]{list} } }
sub items  { map { [@$_] } @{ $_[0]{list} } }
sub len    { scalar @{ $_[0]{list} } }

1;
