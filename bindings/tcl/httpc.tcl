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
    namespace export HTTPConnection HTTPSConnection try isa
    variable path      ;# class name -> class path, root first
    variable ancestors ;# class name -> itself and every ancestor
    variable codename  ;# code -> class name
    variable HTTP_PORT 80
    variable HTTPS_PORT 443
    variable responses  ;# dict: code -> reason phrase
    variable HTTPStatus ;# dict: name -> code; each name is also a variable
}

# Status codes: $httpc::OK, $httpc::NOT_FOUND, ... (every http.HTTPStatus
# name), $httpc::responses and $httpc::HTTPStatus.  The list is
# httpc_status.tsv beside this file, which the build extracts from the Lua
# module's table, so there is one copy of it.
apply {{file} {
    set f [open $file r]
    try { set lines [split [string trimright [read $f] \n] \n] } finally { close $f }
    set ::httpc::responses [dict create]
    set ::httpc::HTTPStatus [dict create]
    foreach line $lines {
        lassign [split $line \t] code name phrase
        dict set ::httpc::responses $code $phrase
        dict set ::httpc::HTTPStatus $name $code
        set ::httpc::$name $code
    }
    if {![dict size $::httpc::responses]} { error "httpc: no status codes in $file" }
}} [file join [file dirname [info script]] httpc_status.tsv]

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
    variable h timeout context

    # host port {ctx own} ?options?: made by httpc::HTTPConnection and
    # httpc::HTTPSConnection; ctx is an httpc::ssl::SSLContext or "" for
    # plain HTTP, and an own context goes away with this object.
    constructor {host port tls args} {
        set timeout ""
        set h ""
        lassign $tls context own
        set handle NULL
        if {$context ne ""} {
            if {$own} {
                rename $context [self namespace]::context
                set context [self namespace]::context
            }
            set handle [$context handle]
        }
        set h [httpc_core::conn_new $host $port $handle]
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
    # The httpc::ssl::SSLContext of an HTTPS connection ("" for HTTP).
    method context {} { return $context }
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
        if {[llength $args] && [lsearch -exact [chan names] $body] >= 0} {
            # An open channel: read in blocksize pieces as it is configured
            # (binary, or characters that must fit in a byte) and streamed,
            # chunked unless the headers give a length, as http.client does
            # with a file.
            my Check [httpc_core::httpc_conn_request $hh $method $url "" \
                [expr {$::httpc_core::BODY_STREAM | $chunked}]]
            set bs [httpc_core::httpc_conn_get_blocksize $hh]
            while {1} {
                set piece [read $body $bs]
                if {$piece ne ""} { my Check [httpc_core::httpc_conn_body_write $hh $piece] }
                if {[eof $body]} break
                if {$piece eq "" && [chan configure $body -blocking] == 0} {
                    # a non-blocking channel with nothing yet: wait for it
                    # rather than spin
                    after 1
                }
            }
            my Check [httpc_core::httpc_conn_body_end $hh]
            return
        }
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

# host ?port? ?options?: port may be left out (then the one in host, or
# the default), the options follow either way.
proc ::httpc::SplitPort {argsVar} {
    upvar 1 $argsVar a
    if {[llength $a] % 2 == 1 && ![string match -* [lindex $a 0]]} {
        set a [lassign $a port]
        return $port
    }
    return -1
}

# httpc::HTTPConnection host ?port? ?-timeout s? ?-source_address {h p}? ?-blocksize n?
proc ::httpc::HTTPConnection {host args} {
    set port [::httpc::SplitPort args]
    tailcall ::httpc::Connection new $host $port {} {*}$args
}

# httpc::HTTPSConnection host ?port? ?-context ctx? ?-check_hostname bool?
#   ?-cert_file f? ?-key_file f? and HTTPConnection's options.
# Without -context, httpc::ssl::create_default_context (destroyed with the
# connection); -check_hostname, -cert_file and -key_file change the context,
# as http.client's do.  The connection holds the C context, so a context
# object may be destroyed after making its connections.
proc ::httpc::HTTPSConnection {host args} {
    set port [::httpc::SplitPort args]
    set ctx ""
    set opts {}
    set cert_file ""
    set key_file ""
    set check ""
    foreach {opt value} $args {
        switch -- $opt {
            -context { set ctx $value }
            -check_hostname { set check $value }
            -cert_file { set cert_file $value }
            -key_file { set key_file $value }
            default { lappend opts $opt $value }
        }
    }
    set own [expr {$ctx eq ""}]
    if {$own} {
        set ctx [::httpc::ssl::create_default_context]
    } elseif {![info object isa typeof $ctx ::httpc::ssl::SSLContext]} {
        return -code error "httpc::HTTPSConnection: $ctx is not an httpc::ssl::SSLContext"
    }
    try {
        if {$check ne ""} { $ctx check_hostname $check }
        if {$cert_file ne "" || $key_file ne ""} { $ctx load_cert_chain $cert_file $key_file }
    } on error {msg eopts} {
        if {$own} { $ctx destroy }
        dict incr eopts -level
        return -options $eopts $msg
    }
    tailcall ::httpc::Connection new $host $port [list $ctx $own] {*}$opts
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
    # msg (or headers): the headers as an httpc::HTTPMessage object, made
    # once and destroyed with the response.
    method msg {} {
        set m [self namespace]::msg
        if {![llength [info commands $m]]} { ::httpc::HTTPMessage create $m [my getheaders] }
        return $m
    }
    method headers {} { my msg }
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

# ---- HTTPMessage: http.client's header view ----
# Case-insensitive lookups over the {name value} pairs in arrival order;
# values are what the C parser kept.
oo::class create ::httpc::HTTPMessage {
    variable list

    constructor {pairs} { set list $pairs }
    # get name ?default?: the first value, or default.
    method get {name {default ""}} {
        foreach pair $list {
            if {[string equal -nocase [lindex $pair 0] $name]} { return [lindex $pair 1] }
        }
        return $default
    }
    # get_all name: every value, in order ({} when absent).
    method get_all {name} {
        set out {}
        foreach pair $list {
            if {[string equal -nocase [lindex $pair 0] $name]} { lappend out [lindex $pair 1] }
        }
        return $out
    }
    method keys {} { lmap pair $list { lindex $pair 0 } }
    method values {} { lmap pair $list { lindex $pair 1 } }
    method items {} { return $list }
    method len {} { llength $list }
    method as_string {} {
        set out ""
        foreach pair $list { append out "[lindex $pair 0]: [lindex $pair 1]\n" }
        return "$out\n"
    }
}

# ---- TLS contexts: the subset of Python's ssl module http.client uses ----
#   set ctx [httpc::ssl::create_default_context ?-cafile f? ?-capath d? ?-cadata pem?]
#   $ctx load_cert_chain certfile ?keyfile? ?password?
#   $ctx check_hostname ?bool?; $ctx verify_mode ?mode?; $ctx minimum_version ?v?
# Contexts are TclOO objects: destroy them when done (a connection made
# with one keeps the C context alive on its own).
namespace eval ::httpc::ssl {
    namespace export create_default_context create_unverified_context
    variable CERT_NONE $::httpc_core::CERT_NONE
    variable CERT_OPTIONAL $::httpc_core::CERT_OPTIONAL
    variable CERT_REQUIRED $::httpc_core::CERT_REQUIRED
    variable TLSv1 $::httpc_core::TLS1_0
    variable TLSv1_1 $::httpc_core::TLS1_1
    variable TLSv1_2 $::httpc_core::TLS1_2
    variable TLSv1_3 $::httpc_core::TLS1_3
}

# -cafile f -capath d -cadata pem (each optional) as a dict with all three.
proc ::httpc::ssl::Anchors {who opts} {
    set d [dict create cafile "" capath "" cadata ""]
    foreach {opt value} $opts {
        if {$opt ni {-cafile -capath -cadata}} {
            return -code error -level 2 "$who: unknown option \"$opt\" (-cafile, -capath or -cadata)"
        }
        dict set d [string range $opt 1 end] $value
    }
    return $d
}

# Verification and hostname checks on; the system CAs, or only the given
# anchors when any is passed (as Python's).
proc ::httpc::ssl::create_default_context {args} {
    set a [Anchors create_default_context $args]
    set own [expr {[dict get $a cafile] ne "" || [dict get $a capath] ne "" || [dict get $a cadata] ne ""}]
    set ctx [SSLContext new [expr {$own ? $::httpc_core::TLS_VERIFY : $::httpc_core::TLS_DEFAULT}]]
    if {$own} {
        try { $ctx load_verify_locations {*}$args } on error {msg opts} {
            $ctx destroy
            dict incr opts -level
            return -options $opts $msg
        }
    }
    return $ctx
}

# No certificate or hostname verification.
proc ::httpc::ssl::create_unverified_context {} {
    SSLContext new $::httpc_core::TLS_UNVERIFIED
}

oo::class create ::httpc::ssl::SSLContext {
    variable h

    # kind: $httpc_core::TLS_DEFAULT, TLS_VERIFY or TLS_UNVERIFIED.
    constructor {{kind 0}} {
        set h [httpc_core::tls_ctx_new $kind]
        if {$h eq "NULL"} {
            set h ""
            return -code error -errorcode {HTTPC MemoryError} "httpc::ssl: could not create an OpenSSL context"
        }
    }
    destructor {
        if {$h ne ""} { httpc_core::delete_httpc_tls_ctx $h; set h "" }
    }
    method Check {rc} {
        if {$rc != 0} { ::httpc::Raise httpc_tls_ctx_error $h }
    }
    # The C handle, for httpc::HTTPSConnection.
    method handle {} { return $h }

    # load_verify_locations ?-cafile f? ?-capath d? ?-cadata pem?, or
    # positionally cafile ?capath? as in Python; at least one.
    method load_verify_locations {args} {
        if {[llength $args] && ![string match -* [lindex $args 0]]} {
            lassign $args cafile capath
            set args [list -cafile $cafile -capath $capath]
        }
        set a [::httpc::ssl::Anchors load_verify_locations $args]
        dict with a {}
        if {$cafile eq "" && $capath eq "" && $cadata eq ""} {
            return -code error -errorcode [list HTTPC {*}$::httpc::path(ValueError) \
                {partial {} expected {}}] \
                "ValueError: cafile, capath and cadata cannot be all omitted"
        }
        if {$cafile ne "" || $capath ne ""} {
            my Check [httpc_core::httpc_tls_ctx_load_verify_locations $h $cafile $capath]
        }
        if {$cadata ne ""} { my Check [httpc_core::httpc_tls_ctx_load_verify_data $h $cadata] }
    }
    # load_cert_chain certfile ?keyfile? ?password?
    method load_cert_chain {certfile {keyfile ""} {password ""}} {
        my Check [httpc_core::httpc_tls_ctx_load_cert_chain $h $certfile $keyfile $password]
    }
    # Properties: without a value they read, with one they set and return the
    # new value; the C library applies Python's rules between them.
    method check_hostname {args} {
        if {[llength $args]} {
            my Check [httpc_core::httpc_tls_ctx_set_check_hostname $h [expr {[lindex $args 0] ? 1 : 0}]]
        }
        expr {[httpc_core::httpc_tls_ctx_get_check_hostname $h] ? 1 : 0}
    }
    # verify_mode ?mode?: a number or CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED.
    method verify_mode {args} {
        if {[llength $args]} {
            my Check [httpc_core::httpc_tls_ctx_set_verify_mode $h [my Const [lindex $args 0]]]
        }
        httpc_core::httpc_tls_ctx_get_verify_mode $h
    }
    # minimum_version ?v?: a number or TLSv1, TLSv1_1, TLSv1_2, TLSv1_3.
    method minimum_version {args} {
        if {[llength $args]} {
            my Check [httpc_core::httpc_tls_ctx_set_minimum_version $h [my Const [lindex $args 0]]]
        }
        httpc_core::httpc_tls_ctx_get_minimum_version $h
    }
    method Const {v} {
        if {[string is integer -strict $v]} { return $v }
        if {$v in {CERT_NONE CERT_OPTIONAL CERT_REQUIRED TLSv1 TLSv1_1 TLSv1_2 TLSv1_3}} {
            return [set ::httpc::ssl::$v]
        }
        return -code error -level 2 "httpc::ssl: \"$v\" is not a number or a known constant"
    }
}

package provide httpc [httpc_core::version]
