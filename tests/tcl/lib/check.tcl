# The hub's test helpers for Tcl: ok/not ok lines and the closing summary
# ("N passed, N failed, N skipped"), which tests/hub_suite.sh counts.
set passed 0
set failed 0
proc check {name cond} {
    global passed failed
    if {[catch {uplevel 1 [list expr $cond]} ok]} {
        incr failed
        puts "not ok - $name ($ok)"
    } elseif {$ok} { incr passed; puts "ok - $name" } else { incr failed; puts "not ok - $name" }
}
# The error a script raises: {msg opts}, or {} when it raised none.
proc raised {script} {
    if {[catch {uplevel 1 $script} msg opts] == 1} { return [list $msg $opts] }
    return {}
}
proc slurp {path} {
    set f [open $path rb]
    set d [read $f]
    close $f
    return $d
}
proc finish {} {
    global passed failed
    puts "$passed passed, $failed failed, 0 skipped"
    exit [expr {$failed > 0}]
}
