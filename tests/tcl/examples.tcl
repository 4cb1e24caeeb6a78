# The reference document's example sessions, binary bodies, lifetimes and
# the error tree, through `package require httpc` against the test servers.
# Prints ok/not ok lines and "N passed, N failed, N skipped".
package require httpc

source [file join [file dirname [info script]] lib check.tcl]

set host $env(HTTPC_TEST_HOST)
set port $env(HTTPC_TEST_NGINX_PORT)
set raw $env(HTTPC_TEST_RAW_PORT)
set docroot $env(HTTPC_TEST_DOCROOT)

# GET, 200-byte reads while not closed, 404
set c [httpc::HTTPConnection $host $port]
$c request GET /
set r1 [$c getresponse]
check "GET / status and reason" {"[$r1 status] [$r1 reason]" eq "200 OK"}
set data1 [$r1 read]
check "GET / whole body" {$data1 eq [slurp $docroot/index.html]}
$r1 destroy
$c request GET /
set r1 [$c getresponse]
set all ""
set max 0
set n 0
while {![$r1 closed]} {
    set piece [$r1 read 200]
    append all $piece
    incr n
    if {[string length $piece] > $max} { set max [string length $piece] }
}
check "200-byte reads while not closed give the same body" {$all eq $data1}
check "reads of at most 200 bytes ($n)" {$max == 200 && $n == ([string length $data1] + 199) / 200}
check "body starts <!doctype html>" {[string range $all 0 14] eq "<!doctype html>"}
$r1 destroy
$c request GET /parrot.spam
set r2 [$c getresponse]
check "invalid request: 404 Not Found" {"[$r2 status] [$r2 reason]" eq "404 Not Found"}
check "404 body read" {[string length [$r2 read]] > 0}
$c close
$c close
check "close is idempotent" 1
$r2 destroy
$c destroy

# HEAD
set c [httpc::HTTPConnection $host $port]
$c request HEAD /
set res [$c getresponse]
check "HEAD status" {[$res status] == 200}
check "HEAD body is empty" {[$res read] eq ""}
check "HEAD keeps Content-Length" {[$res getheader Content-Length] > 0}
$res destroy
$c destroy

# POST form -> 302 Found
set c [httpc::HTTPConnection $host $port]
$c request POST /form "%40number=12524&%40type=issue&%40action=show" \
    {Content-type application/x-www-form-urlencoded Accept text/plain}
set r [$c getresponse]
check "POST form: 302 Found" {"[$r status] [$r reason]" eq "302 Found"}
check "POST form body" {[$r read] eq {Redirecting to <a href="/landing">/landing</a>}}
check "Location header" {[$r getheader Location] eq "/landing"}
$r destroy

# PUT, binary-safe both ways
set body [binary format a*c*a* "a NUL " {0 -1 10} " end"]
$c request PUT /file $body
set r [$c getresponse]
check "PUT status" {[$r status] == 200}
check "PUT body length counted by the server" {[$r read] eq "stored [string length $body] bytes\n"}
$r destroy
set blob ""
for {set i 0} {$i < 256} {incr i} { append blob [binary format c $i] }
append blob [binary format c3 {0 0 -1}]
$c request POST /echo $blob
set r [$c getresponse]
set echo [$r read]
check "request and response bodies keep every byte" {[string range $echo end-[expr {[string length $blob]-1}] end] eq $blob}
$r destroy
$c request GET /1m
set r [$c getresponse]
check "1 MiB body with NULs intact" {[$r read] eq [slurp $docroot/1m]}
$r destroy
$c request GET /100b
set r [$c getresponse]
set buf [binary format x100]
check "readinto count" {[$r readinto buf] == 100}
check "readinto bytes" {$buf eq "[string repeat x 99]\n"}
$r destroy
set e [raised { $c request POST /echo "\u263a" }]
check "a character above \\u00ff is refused, not mangled" {[llength $e] && [string match *U+263A* [lindex $e 0]]}
$c destroy

# IncompleteRead: by class (httpc::try short form, and the class path), by parent
set c [httpc::HTTPConnection $host $raw]
$c request GET /truncated-cl
set r [$c getresponse]
set e [raised { $r read }]
set ec [dict get [lindex $e 1] -errorcode]
check "errorcode is the class path root first, then details" {[lrange $ec 0 2] eq {HTTPC HTTPException IncompleteRead}}
set d [lindex $ec end]
check "partial" {[dict get $d partial] eq "0123456789"}
check "expected" {[dict get $d expected] == 90}
check "-httpc option holds the same details" {[dict get [lindex $e 1] -httpc partial] eq "0123456789"}
check "message" {[string match "IncompleteRead: *10 bytes read, 90 more expected*" [lindex $e 0]]}
$r destroy
set how ""
$c request GET /truncated-cl
set r [$c getresponse]
try { $r read } trap {HTTPC HTTPException IncompleteRead} {msg opts} { set how class } on error {} { set how other }
check "builtin try: trap on the class path" {$how eq "class"}
$r destroy
$c request GET /truncated-cl
set r [$c getresponse]
try { $r read } trap {HTTPC OSError} {} { set how os } trap {HTTPC HTTPException} {} { set how parent }
check "builtin try: trap on the parent HTTPException" {$how eq "parent"}
$r destroy
$c request GET /truncated-cl
set r [$c getresponse]
httpc::try { $r read } trap {HTTPC IncompleteRead} {msg opts} { set how short; set p [dict get $opts -httpc partial] }
check "httpc::try: trap {HTTPC IncompleteRead}" {$how eq "short" && $p eq "0123456789"}
$r destroy
$c request GET /truncated-cl
set r [$c getresponse]
httpc::try { $r read } trap {HTTPC OSError} {} { set how os } trap {HTTPC HTTPException} {} { set how parent2 }
check "httpc::try: trap on the parent" {$how eq "parent2"}
$r destroy

# RemoteDisconnected: BadStatusLine and ConnectionResetError
$c request GET /close-no-response
set how ""
httpc::try { $c getresponse } trap {HTTPC ConnectionResetError} {msg opts} { set how reset; set o $opts }
check "httpc::try: RemoteDisconnected trapped as ConnectionResetError" {$how eq "reset"}
check "isa BadStatusLine and OSError" {[httpc::isa $o BadStatusLine] && [httpc::isa $o OSError] && ![httpc::isa $o ValueError]}
$c request GET /close-no-response
try { $c getresponse } trap {HTTPC HTTPException BadStatusLine RemoteDisconnected} {} { set how path }
check "builtin try: RemoteDisconnected by its path" {$how eq "path"}
$c request GET /ok
set r [$c getresponse]
check "the connection object is reusable (auto-reconnect)" {[$r read] eq "hello"}
$r destroy
set loop [catch {httpc::try { error plain } trap {HTTPC} {} { set how wrong } } msg]
check "httpc::try lets non-httpc errors through" {$loop == 1 && $msg eq "plain"}
proc inner {} { httpc::try { return early } finally { set ::fin 1 }; return late }
check "httpc::try passes return and runs finally" {[inner] eq "early" && $::fin == 1}
$c destroy

# the tree is the library's
set e [raised { httpc::HTTPConnection h:abc }]
check "bad port: InvalidURL from the constructor" {[httpc::isa [lindex $e 1] InvalidURL]}
set ok 1
for {set code $httpc_core::E_HTTPEXCEPTION} {$code <= $httpc_core::E_LAST} {incr code} {
    set name [httpc_core::code_name $code]
    set par [httpc_core::code_parent $code 0]
    set want [expr {$par ? [list {*}$httpc::path([httpc_core::code_name $par]) $name] : [list $name]}]
    if {$httpc::path($name) ne $want} { set ok 0 }
}
check "every class path follows httpc_code_parent" $ok

# lifetimes
set c [httpc::HTTPConnection $host $port]
$c request GET /100b
set r [$c getresponse]
$c destroy
check "response readable after its connection object is destroyed" {[$r read] eq "[string repeat x 99]\n"}
check "reading past the end gives {}" {[$r read] eq ""}
$r close
$r close
check "read after close gives {}" {[$r read] eq "" && [$r closed]}
$r destroy
set c [httpc::HTTPConnection $host $port]
$c close
$c request GET /100b
set r [$c getresponse]
check "request after close reconnects" {[string length [$r read]] == 100}
$r destroy
for {set i 0} {$i < 2000} {incr i} {
    set x [httpc::HTTPConnection $host $port]
    $x request GET /100b
    set y [$x getresponse]
    $x destroy
    $y destroy
}
check "2000 connection/response pairs destroyed, connection first" 1
check "a destroyed object is gone (no dangling handle)" {[info object isa object $c] && ![info object isa object $x]}
set e [raised { httpc_core::httpc_conn_port NULL }]
check "a NULL handle in the raw module errors, never crashes" {[string match *freed* [lindex $e 0]]}
$c destroy

finish
