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
    require Scalar::Util;
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

sub DESTROY {
    my ($self) = @_;
    my $h = delete $self->{h};
    httpc::delete_httpc_response($h) if $h;
}

1;
