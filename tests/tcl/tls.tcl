# HTTPS through httpc::ssl contexts against the TLS test servers, the
# headers object and the status constants, through `package require httpc`.
package require httpc
source [file join [file dirname [info script]] lib check.tcl]

set tls $env(HTTPC_TEST_TLS_PORT)
set ca $env(HTTPC_TEST_CA)
set unknownca $env(HTTPC_TEST_TLS_UNKNOWNCA_PORT)
set wronghost $env(HTTPC_TEST_TLS_WRONGHOST_PORT)
set clientcert $env(HTTPC_TEST_TLS_CLIENTCERT_PORT)
set cert $env(HTTPC_TEST_CLIENT_CERT)
set key $env(HTTPC_TEST_CLIENT_KEY)
set whoami "CN=httpc test client,O=httpc tests\n"

# GET path on localhost:port with HTTPSConnection options: {status body}
proc get {port path args} {
    set c [httpc::HTTPSConnection localhost $port {*}$args]
    try {
        $c request GET $path
        set r [$c getresponse]
        return [list [$r status] [$r read]]
    } finally { $c destroy }
}
proc class_of {e} { lindex [dict get [lindex $e 1] -errorcode] end-1 }

# verified HTTPS with our CA
set ctx [httpc::ssl::create_default_context -cafile $ca]
lassign [get $tls / -context $ctx] st body
check "HTTPS GET with -cafile: 200" {$st == 200}
check "HTTPS body is the document" {$body eq [slurp $env(HTTPC_TEST_DOCROOT)/index.html]}
check "default context: check_hostname on, CERT_REQUIRED" {[$ctx check_hostname] && [$ctx verify_mode] == $httpc::ssl::CERT_REQUIRED}
set c2 [httpc::ssl::create_default_context -cadata [slurp $ca]]
check "-cadata (PEM text) is trusted as well" {[lindex [get $tls / -context $c2] 0] == 200}
$c2 destroy
set c [httpc::HTTPSConnection localhost $tls -context $ctx -timeout 5]
$c request GET /100b
[$c getresponse] read
$c request GET /100b
check "two requests on one TLS connection" {[[$c getresponse] read] eq "[string repeat x 99]\n"}
check "the connection's context" {[$c context] eq $ctx && [$c timeout] == 5}
$c destroy
set c [httpc::HTTPSConnection localhost]
check "default port 443" {[$c port] == $httpc::HTTPS_PORT}
set own [$c context]
$c destroy
check "an own default context goes with its connection" {![llength [info commands $own]]}

# failures, trapped by class
set e [raised { get $unknownca / -context $ctx }]
check "unknown CA: SSLCertVerificationError" {[class_of $e] eq "SSLCertVerificationError"}
check "an SSLError and an OSError" {[httpc::isa [lindex $e 1] SSLError] && [httpc::isa [lindex $e 1] OSError]}
check "message names the failure" {[string match "SSLCertVerificationError: *certificate verify failed*" [lindex $e 0]]}
set how none
httpc::try { get $wronghost / -context $ctx } trap {HTTPC SSLCertVerificationError} {msg} { set how verify }
check "wrong host trapped as SSLCertVerificationError" {$how eq "verify" && [regexp -nocase {hostname|match} $msg]}
try { get $wronghost / -context $ctx } trap {HTTPC OSError SSLError} {} { set how prefix }
check "builtin try: trap {HTTPC OSError SSLError}" {$how eq "prefix"}
check "system CAs do not trust the test CA" {[class_of [raised { get $tls / }]] eq "SSLCertVerificationError"}
$ctx destroy

# turning the checks off
set u [httpc::ssl::create_unverified_context]
check "unverified: CERT_NONE, no hostname check" {![$u check_hostname] && [$u verify_mode] == $httpc::ssl::CERT_NONE}
check "unverified context: unknown CA accepted" {[lindex [get $unknownca / -context $u] 0] == 200}
check "unverified context: wrong host accepted" {[lindex [get $wronghost / -context $u] 0] == 200}
$u destroy
set ctx [httpc::ssl::create_default_context -cafile $ca]
check "-check_hostname 0 on the constructor" {[lindex [get $wronghost / -context $ctx -check_hostname 0] 0] == 200}
check "and it changed the context, as http.client does" {[$ctx check_hostname] == 0}
check "without the hostname check the chain is still verified" {[class_of [raised { get $unknownca / -context $ctx }]] eq "SSLCertVerificationError"}
$ctx destroy
set ctx [httpc::ssl::create_default_context -cafile $ca]
check "CERT_NONE while check_hostname is on: ValueError" {[class_of [raised { $ctx verify_mode CERT_NONE }]] eq "ValueError"}
$ctx minimum_version TLSv1_3
check "minimum_version by name reads back as the number" {[$ctx minimum_version] == $httpc::ssl::TLSv1_3}
check "TLS 1.3 minimum against a 1.2/1.3 server" {[lindex [get $tls / -context $ctx] 0] == 200}
check "load_verify_locations with nothing: ValueError" {[class_of [raised { $ctx load_verify_locations }]] eq "ValueError"}
set e [raised { $ctx load_verify_locations /nonexistent/ca.pem }]
check "a missing cafile: an OSError" {[httpc::isa [lindex $e 1] OSError]}
$ctx destroy
set v [httpc::ssl::create_unverified_context]
$v verify_mode $httpc::ssl::CERT_REQUIRED
$v load_verify_locations -cafile $ca
check "CERT_REQUIRED without check_hostname: chain only" {[lindex [get $wronghost / -context $v] 0] == 200}
check "and an unknown CA still fails" {[class_of [raised { get $unknownca / -context $v }]] eq "SSLCertVerificationError"}
$v destroy

# client certificates
set ctx [httpc::ssl::create_default_context -cafile $ca]
check "no client certificate: nginx answers 400" {[lindex [get $clientcert /whoami -context $ctx] 0] == 400}
$ctx load_cert_chain $cert $key
check "load_cert_chain: the server sees the client" {[get $clientcert /whoami -context $ctx] eq [list 200 $whoami]}
$ctx destroy
set ctx [httpc::ssl::create_default_context -cafile $ca]
check "legacy -cert_file/-key_file options" {[get $clientcert /whoami -context $ctx -cert_file $cert -key_file $key] eq [list 200 $whoami]}
$ctx destroy
set ctx [httpc::ssl::create_default_context -cafile $ca]
$ctx load_cert_chain $cert $env(HTTPC_TEST_CLIENT_KEY_ENC) $env(HTTPC_TEST_CLIENT_KEY_PASS)
check "encrypted key with its password" {[lindex [get $clientcert /whoami -context $ctx] 1] eq $whoami}
check "a wrong password: SSLError" {[httpc::isa [lindex [raised { $ctx load_cert_chain $cert $env(HTTPC_TEST_CLIENT_KEY_ENC) wrong }] 1] SSLError]}
$ctx destroy

# the headers object
set c [httpc::HTTPConnection $env(HTTPC_TEST_HOST) $env(HTTPC_TEST_RAW_PORT)]
$c request GET /repeated
set r [$c getresponse]
set m [$r msg]
check "msg is an HTTPMessage, headers the same" {[info object isa typeof $m httpc::HTTPMessage] && [$r headers] eq $m}
check "get is case-insensitive, first value" {[$m get set-COOKIE] eq "a=1"}
check "get_all in order" {[$m get_all x-multi] eq {one two}}
check "get_all of an absent header: {}" {[$m get_all nope] eq {}}
check "get with a default" {[$m get nope dflt] eq "dflt"}
check "keys in arrival order" {[$m keys] eq {Set-Cookie X-Multi Set-Cookie X-Multi Content-Length}}
check "values and items match getheaders" {[$m values] eq [lmap p [$r getheaders] {lindex $p 1}] && [$m items] eq [$r getheaders]}
check "len" {[$m len] == 5}
check "as_string is a header block" {[string match "Set-Cookie: a=1\nX-Multi: one\n*\n\n" [$m as_string]]}
$r destroy
check "the message goes with its response" {![llength [info commands $m]]}
$c destroy

# constants, from the one status list
check "HTTP_PORT and HTTPS_PORT" {$httpc::HTTP_PORT == 80 && $httpc::HTTPS_PORT == 443}
check "httpc::OK, httpc::NOT_FOUND" {$httpc::OK == 200 && $httpc::NOT_FOUND == 404}
check "responses 418" {[dict get $httpc::responses $httpc::IM_A_TEAPOT] eq "I'm a Teapot"}
set py [exec python3 -c {import http; [print(s.value, s.name, s.phrase, sep="\t") for s in http.HTTPStatus]}]
set ours [join [lmap {name code} $httpc::HTTPStatus { join [list $code $name [dict get $httpc::responses $code]] \t }] \n]
check "the same codes, names and phrases as Python's http.HTTPStatus" {$ours eq $py}

finish
