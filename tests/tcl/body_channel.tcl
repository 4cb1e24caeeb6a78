# A request body given as a Tcl channel: read in blocksize pieces and
# streamed, chunked unless the headers give a length (as http.client does
# with a file), against nginx's /echo.
package require httpc
source [file join [file dirname [info script]] lib check.tcl]

set c [httpc::HTTPConnection $env(HTTPC_TEST_HOST) $env(HTTPC_TEST_NGINX_PORT) -blocksize 1000]
# The echo splits into the raw request head and the body nginx received.
proc echo {c args} {
    $c request POST /echo {*}$args
    set r [$c getresponse]
    set all [$r read]
    $r destroy
    set i [string first "\r\n\r\n" $all]
    return [list [string range $all 0 $i+1] [string range $all $i+4 end]]
}

set tmp [file tempfile path]
fconfigure $tmp -translation binary
set blob ""
for {set i 0} {$i < 5000} {incr i} { append blob [binary format c [expr {$i % 256}]] }
puts -nonewline $tmp $blob
close $tmp

set f [open $path rb]
lassign [echo $c $f] head body
close $f
check "a binary channel: every byte arrives" {$body eq $blob}
check "sent chunked, without Content-Length" {[string match -nocase "*transfer-encoding: chunked*" $head] && ![string match -nocase "*content-length*" $head]}

set f [open $path rb]
lassign [echo $c $f [list Content-Length [string length $blob]]] head body
close $f
check "with a Content-Length header: sent as is" {$body eq $blob && ![string match -nocase "*transfer-encoding*" $head]}

set f [open $env(HTTPC_TEST_DOCROOT)/1m rb]
lassign [echo $c $f] head body
close $f
check "1 MiB from a channel in 1000-byte pieces" {$body eq [slurp $env(HTTPC_TEST_DOCROOT)/1m]}

set f [open $path rb]
lassign [echo $c $f {Transfer-Encoding chunked} -encode_chunked 1] head body
close $f
check "-encode_chunked with the caller's Transfer-Encoding" {$body eq $blob}

lassign [chan pipe] rd wr
fconfigure $wr -translation binary
fconfigure $rd -translation binary
puts -nonewline $wr "through a pipe"
close $wr
lassign [echo $c $rd] head body
close $rd
check "a pipe channel" {$body eq "through a pipe"}

set f [open $path rb]
read $f
lassign [echo $c $f] head body
close $f
check "a channel at its end: an empty chunked body" {$body eq "" && [string match -nocase "*transfer-encoding: chunked*" $head]}

set f [open $path w]
fconfigure $f -encoding utf-8
puts -nonewline $f "caf\u00e9 \u263a"
close $f
set f [open $path r]
fconfigure $f -encoding utf-8
set e [raised { echo $c $f }]
close $f
check "text that does not fit in bytes is refused, not mangled" {[string match *U+263A* [lindex $e 0]]}
# the request was cut short, as http.client's would be: a new connection
$c destroy
set c [httpc::HTTPConnection $env(HTTPC_TEST_HOST) $env(HTTPC_TEST_NGINX_PORT)]

lassign [echo $c "file-not-a-channel"] head body
check "a string that is no open channel is a plain body" {$body eq "file-not-a-channel"}

file delete $path
$c destroy
finish
