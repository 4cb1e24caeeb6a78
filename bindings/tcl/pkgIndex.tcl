# package require httpc: the SWIG module httpc_core, then the object layer.
# (@VERSION@ is filled in by mk/hub.mk from the library's version.)
package ifneeded httpc @VERSION@ [list apply {{dir} {
    load [file join $dir httpc_core.so] Httpc_core
    source [file join $dir httpc.tcl]
}} $dir]
