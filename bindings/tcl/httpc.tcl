# httpc.tcl -- http.client for Tcl 8.6: TclOO objects over the SWIG module
# httpc_core, errors raised with an -errorcode built from the C library's
# error tree (httpc_code_name / httpc_code_parent), bodies as byte arrays.
#
#   set c [httpc::HTTPConnection $host $port ?-timeout s?]
#   $c request GET / ?body? ?headers? ?-encode_chunked 1?
#   set r [$c getresponse]
#   puts "[$r status] [$r read]"
#   $r destroy; $c destroy
#
# Error codes (see bindings/HUB.md):
#   -errorcode {HTTPC <root> ... <class> <details>}
# the class path runs from the root to the class along first parents, so
# Tcl's prefix-matching `trap` catches a class and everything below it:
#   trap {HTTPC HTTPException}                  any HTTPException
#   trap {HTTPC HTTPException IncompleteRead}   exactly that branch
# and httpc::try accepts the short form `trap {HTTPC IncompleteRead}` for
# any class, through every parent (RemoteDisconnected is both a
# BadStatusLine and a ConnectionResetError).  The details are a dict
# (partial, expected, errno, line, what, reason), also in the return
# options as -httpc.
package require Tcl 8.6

namespace eval ::httpc {
    namespace export HTTPConnection try isa
    variable path      ;# class name -> class path, root first
    variable ancestors ;# class name -> itself and every ancestor
    variable codename  ;# code -> class name
    variable HTTP_PORT 80
    variable HTTPS_PORT 443
}

# ---- the error tree, read from the library ----
apply {{} {
    variable ::httpc::path
    variable ::httpc::ancestors
    variable ::httpc::codename
    set first $::httpc_core::E_HTTPEXCEPTION
    set last $::httpc_core::E_LAST
    for {set code $first} {$code <= $last} {incr code} {
        set codename($code) [httpc_core::code_name $code]
    }
    for {set code $first} {$code <= $last} {incr code} {
        set p {}
        set c $code
        while {1} {
            set p [linsert $p 0 $codename($c)]
            set c [httpc_core::code_parent $c 0]
            if {$c == 0} break
        }
        set path($codename($code)) $p
        set all {}
        set todo [list $code]
        while {[llength $todo]} {
            set todo [lassign $todo c]
            if {$codename($c) in $all} continue
            lappend all $codename($c)
            for {set n 0} {[set q [httpc_core::code_parent $c $n]] != 0} {incr n} {
                lappend todo $q
            }
        }
        set ancestors($codename($code)) $all
    }
}}

# Raises the error a handle keeps; getter is the binding's error command.
# The errinfo it returns is a copy owned here.
proc ::httpc::Raise {getter h} {
    variable codename
    variable path
    set e [httpc_core::$getter $h]
    if {$e eq "NULL"} { return -code error -errorcode {HTTPC MemoryError} "httpc: out of memory" }
    set code [httpc_core::httpc_errinfo_code $e]
    set expected [httpc_core::httpc_errinfo_expected $e]
    set details [dict create \
        partial [httpc_core::httpc_errinfo_partial $e] \
        expected [expr {$expected < 0 ? "" : $expected}] \
        errno [httpc_core::httpc_errinfo_errno $e] \
        line [httpc_core::httpc_errinfo_line $e] \
        what [httpc_core::httpc_errinfo_what $e] \
        reason [httpc_core::httpc_errinfo_reason $e] \
        code $code]
    set message [httpc_core::httpc_errinfo_message $e]
    httpc_core::delete_httpc_errinfo $e
    set name [expr {[info exists codename($code)] ? $codename($code) : "HTTPException"}]
    return -code error -level 2 -errorcode [list HTTPC {*}$path($name) $details] \
        -httpc $details "$name: $message"
}

proc ::httpc::Destroyed {} {
    variable path
    return -code error -level 2 \
        -errorcode [list HTTPC {*}$path(NotConnected) {partial {} expected {}}] \
        "NotConnected: operation on a destroyed httpc object"
}

# httpc::isa errorcode-or-options Name: is the error of class Name or below?
proc ::httpc::isa {ec name} {
    variable ancestors
    if {[dict exists $ec -errorcode]} { set ec [dict get $ec -errorcode] }
    if {[lindex $ec 0] ne "HTTPC" || [llength $ec] < 3} { return 0 }
    set cls [lindex $ec end-1]
    expr {[info exists ancestors($cls)] && $name in $ancestors($cls)}
}

# httpc::try: Tcl's try, where `trap {HTTPC Name ...}` matches an httpc
# error whose class is Name or descends from it; every other handler
# behaves as in try.
proc ::httpc::try {body args} {
    variable ancestors
    set finally {}
    if {[llength $args] >= 2 && [lindex $args end-1] eq "finally"} {
        set finally [lindex $args end]
        set args [lrange $args 0 end-2]
    }
    set code [catch {uplevel 1 $body} result opts]
    set handled 0
    set fall 0
    foreach {kind match vars script} $args {
        if {!$fall} {
            switch -- $kind {
                on {
                    set names {ok 0 error 1 return 2 break 3 continue 4}
                    if {[dict exists $names $match]} { set match [dict get $names $match] }
                    set hit [expr {$code == $match}]
                }
                trap {
                    set hit 0
                    if {$code == 1} {
                        set ec [dict get $opts -errorcode]
                        if {[lindex $match 0] eq "HTTPC" && [llength $match] >= 2 &&
                                [lindex $ec 0] eq "HTTPC"} {
                            set hit [::httpc::isa $ec [lindex $match end]]
                        } else {
                            set hit [expr {[lrange $ec 0 [llength $match]-1] eq $match}]
                        }
                    }
                }
                default { return -code error "httpc::try: bad handler \"$kind\"" }
            }
            if {!$hit} continue
        }
        if {$script eq "-"} { set fall 1; continue }
        if {[llength $vars] > 0} { upvar 1 [lindex $vars 0] v0; set v0 $result }
        if {[llength $vars] > 1} { upvar 1 [lindex $vars 1] v1; set v1 $opts }
        set code [catch {uplevel 1 $script} result opts]
        set handled 1
        break
    }
    if {$finally ne ""} {
        set fcode [catch {uplevel 1 $finally} fresult fopts]
        if {$fcode != 0} { set code $fcode; set result $fresult; set opts $fopts }
    }
    if {$code == 0} { return $result }
    dict incr opts -level
    return -options $opts $result
}

# ---- connections ----
oo::class create ::httpc::Connection {
    variable h timeout

    constructor {host {port -1} args} {
        set timeout ""
        set h [httpc_core::conn_new $host $port NULL]
        if {$h eq "NULL"} { return -code error -errorcode {HTTPC MemoryError} "httpc: out of memory" }
        set e [httpc_core::httpc_conn_error $h]
        set code [httpc_core::httpc_errinfo_code $e]
        httpc_core::delete_httpc_errinfo $e
        if {$code != 0} {
            set hh $h
            set h ""
            try { ::httpc::Raise httpc_conn_error $hh } finally { httpc_core::delete_httpc_conn $hh }
        }
        foreach {opt value} $args {
            switch -- $opt {
                -timeout { set timeout $value; httpc_core::httpc_conn_set_timeout $h $value }
                -blocksize { httpc_core::httpc_conn_set_blocksize $h $value }
                -source_address {
                    my Check [httpc_core::httpc_conn_set_source_address $h {*}$value]
                }
                default { return -code error "httpc::HTTPConnection: unknown option $opt" }
            }
        }
    }
    destructor {
        if {$h ne ""} { httpc_core::delete_httpc_conn $h; set h "" }
    }
    method H {} {
        if {$h eq ""} { ::httpc::Destroyed }
        return $h
    }
    method Check {rc} {
        if {$rc != 0} { ::httpc::Raise httpc_conn_error $h }
    }

    method host {} { httpc_core::httpc_conn_host [my H] }
    method port {} { httpc_core::httpc_conn_port [my H] }
    method timeout {} { return $timeout }
    method connect {} { my Check [httpc_core::httpc_conn_connect [my H]] }
    # Idempotent; the next request reconnects.
    method close {} { if {$h ne ""} { httpc_core::httpc_conn_close $h } }
    method fileno {} { httpc_core::httpc_conn_fileno [my H] }
    method set_debuglevel {level} { httpc_core::httpc_conn_set_debuglevel [my H] $level }
    method set_tunnel {host {port -1} {headers {}}} {
        my Check [httpc_core::httpc_conn_set_tunnel [my H] $host $port]
        foreach {n v} $headers { my Check [httpc_core::httpc_conn_add_tunnel_header $h $n $v] }
    }

    # request method url ?body? ?headers? ?-encode_chunked bool?
    # headers: a list of name value pairs (a dict, or repeated names);
    # a body given (even "") is sent with Content-Length.
    method request {method url args} {
        set chunked 0
        if {[llength $args] >= 2 && [lindex $args end-1] eq "-encode_chunked"} {
            set chunked [expr {[lindex $args end] ? $::httpc_core::ENCODE_CHUNKED : 0}]
            set args [lrange $args 0 end-2]
        }
        lassign $args body headers
        set hh [my H]
        foreach {n v} $headers { my Check [httpc_core::httpc_conn_request_header $hh $n $v] }
        set kind [expr {[llength $args] ? $::httpc_core::BODY_BYTES : $::httpc_core::BODY_NONE}]
        my Check [httpc_core::httpc_conn_request $hh $method $url $body [expr {$kind | $chunked}]]
    }
    method putrequest {method url {skip_host 0} {skip_accept_encoding 0}} {
        my Check [httpc_core::httpc_conn_putrequest [my H] $method $url \
            [expr {!!$skip_host}] [expr {!!$skip_accept_encoding}]]
    }
    method putheader {name value args} {
        my Check [httpc_core::httpc_conn_putheader [my H] $name $value]
        foreach v $args { my Check [httpc_core::httpc_conn_putheader_continue $h $v] }
    }
    method endheaders {{body ""}} { my Check [httpc_core::httpc_conn_endheaders [my H] $body 0] }
    method send {data} { my Check [httpc_core::httpc_conn_send [my H] $data] }
    method getresponse {} {
        lassign [httpc_core::httpc_conn_getresponse [my H]] rc r
        my Check $rc
        return [::httpc::Response new $r]
    }
}

proc ::httpc::HTTPConnection {host args} {
    tailcall ::httpc::Connection new $host {*}$args
}

# ---- responses ----
oo::class create ::httpc::Response {
    variable h

    constructor {handle} { set h $handle }
    destructor {
        if {$h ne ""} { httpc_core::delete_httpc_response $h; set h "" }
    }
    method H {} {
        if {$h eq ""} { ::httpc::Destroyed }
        return $h
    }
    method Check {rc} {
        if {$rc != 0} { ::httpc::Raise httpc_response_error $h }
    }
    method Data {call arg} {
        lassign [httpc_core::httpc_response_$call [my H] $arg] rc data
        my Check $rc
        return $data
    }

    method status {} { httpc_core::httpc_response_status [my H] }
    method reason {} { httpc_core::httpc_response_reason [my H] }
    method version {} { httpc_core::httpc_response_version [my H] }
    method will_close {} { expr {!![httpc_core::httpc_response_will_close [my H]]} }
    method chunked {} { expr {!![httpc_core::httpc_response_chunked [my H]]} }
    method length {} {
        set n [httpc_core::httpc_response_length [my H]]
        expr {$n < 0 ? "" : $n}
    }
    # 1 once the body was read to its end, or after close.
    method closed {} { expr {!![httpc_core::httpc_response_closed [my H]]} }
    method isclosed {} { my closed }
    method fileno {} { httpc_core::httpc_response_fileno [my H] }
    method close {} { if {$h ne ""} { httpc_core::httpc_response_close $h } }

    # read ?amt?: the whole rest without amt; "" at the end.  A byte array.
    method read {{amt -1}} { my Data read $amt }
    method read1 {{n -1}} { my Data read1 $n }
    method readline {{limit -1}} { my Data readline $limit }
    method peek {{n -1}} { my Data peek $n }
    # readinto varName: fills the byte array in the variable; returns count.
    method readinto {varName} {
        upvar 1 $varName buf
        lassign [httpc_core::httpc_response_readinto [my H] buf] rc n
        my Check $rc
        return $n
    }
    method getheader {name {default ""}} {
        lassign [httpc_core::httpc_response_getheader [my H] $name] found value
        expr {$found ? $value : $default}
    }
    # A list of {name value} pairs in arrival order.
    method getheaders {} {
        set out {}
        set hh [my H]
        for {set i 0} {$i < [httpc_core::httpc_response_header_count $hh]} {incr i} {
            lassign [httpc_core::httpc_response_header_at $hh $i] rc n v
            if {$rc == 0} { lappend out [list $n $v] }
        }
        return $out
    }
}

package provide httpc [httpc_core::version]
