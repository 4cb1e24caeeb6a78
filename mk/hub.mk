# The binding hub: Perl 5, Tcl 8.6 and Ruby from bindings/httpc.i plus the
# per-language fragments and idiomatic layers in bindings/{perl,tcl,ruby}.
#   make perl  -> $(BUILD)/perl  (PERL5LIB: use httpc;)
#   make tcl   -> $(BUILD)/tcl   (TCLLIBPATH: package require httpc)
#   make ruby  -> $(BUILD)/ruby  (RUBYLIB: require 'httpc')
#   make bindings builds every language whose toolchain is installed and
#   says which it skipped (make deps installs them).
# Like the Lua and Python modules, each links libhttpc.a in with its symbols
# hidden, so no LD_LIBRARY_PATH is needed.
HUB_SWIG  ?= swig
HUB_I     := bindings/httpc.i $(wildcard bindings/*/httpc_*.i)
# SWIG's generated wrappers leave some parameters unused, and the Tcl
# wrapper's class tables initialise nested structs without inner braces;
# Ruby's warns (801) that it capitalises the handle class names.
HUB_CFLAGS = $(CFLAGS_BASE) -Wno-unused-parameter $(OPT) -Icore/include $(CFLAGS)
HUB_LINK   = $(LIB_A) $(LIBS_CORE) -Wl,--exclude-libs,ALL $(LDFLAGS)

# The status names and reason phrases come from the Lua module's table (the
# one hand-kept copy; the Python package takes Python's own http.HTTPStatus):
# one "code<TAB>NAME<TAB>phrase" line each, read at load time by every hub
# module from beside itself.  An empty extraction fails the build.
HUB_STATUS := $(BUILD)/hub/httpc_status.tsv
$(HUB_STATUS): lua/httpc/status.lua mk/hub.mk
	@mkdir -p $(dir $@)
	sed -n 's/^ *{ \([0-9]*\), "\([A-Z_]*\)", "\(.*\)" },$$/\1\t\2\t\3/p' $< > $@.tmp
	@test "$$(wc -l < $@.tmp)" -gt 50 || { echo "hub: no status lines parsed from $<"; rm -f $@.tmp; exit 1; }
	mv $@.tmp $@

# ---- toolchain discovery (empty when missing) ----
PERL      ?= perl
PERL_CORE := $(shell $(PERL) -MConfig -e 'print "$$Config{archlibexp}/CORE"' 2>/dev/null)
PERL_OK   := $(if $(wildcard $(PERL_CORE)/perl.h),yes)
PERL_CCFLAGS := $(if $(PERL_OK),$(shell $(PERL) -MConfig -e 'print $$Config{ccflags}'))
TCLSH     ?= tclsh8.6
TCL_INC   := $(firstword $(wildcard /usr/include/tcl8.6/tcl.h))
TCL_STUB  := $(firstword $(wildcard /usr/lib/*/libtclstub8.6.a /usr/lib/libtclstub8.6.a))
TCL_OK    := $(if $(and $(TCL_INC),$(TCL_STUB),$(shell command -v $(TCLSH))),yes)
RUBY      ?= ruby
RUBY_HDR  := $(shell $(RUBY) -rrbconfig -e 'print RbConfig::CONFIG["rubyhdrdir"]' 2>/dev/null)
RUBY_OK   := $(if $(wildcard $(RUBY_HDR)/ruby.h),yes)
RUBY_ARCHHDR := $(if $(RUBY_OK),$(shell $(RUBY) -rrbconfig -e 'print RbConfig::CONFIG["rubyarchhdrdir"]'))
RUBY_LIBS := $(if $(RUBY_OK),$(shell $(RUBY) -rrbconfig -e 'print RbConfig::CONFIG["LIBRUBYARG_SHARED"]'))

.PHONY: bindings perl tcl ruby
bindings: perl tcl ruby

# ---- Perl: httpc.pm over the SWIG module httpc_core ----
PERL_DIR := $(BUILD)/perl
ifeq ($(PERL_OK),yes)
perl: $(PERL_DIR)/httpc.pm $(PERL_DIR)/httpc_core.pm $(PERL_DIR)/auto/httpc_core/httpc_core.so \
      $(PERL_DIR)/httpc_status.tsv
else
perl:
	@echo "hub: skipping perl: no perl.h under '$(PERL_CORE)' (libperl-dev; make deps)"
endif

$(BUILD)/swig/perl/httpc_core_wrap.c: $(HUB_I) core/include/httpc.h
	@mkdir -p $(dir $@)
	$(HUB_SWIG) -perl5 -noproxy -Icore/include -Ibindings -outdir $(dir $@) -o $@ bindings/httpc.i
$(BUILD)/swig/perl/httpc_core.pm: $(BUILD)/swig/perl/httpc_core_wrap.c
$(PERL_DIR)/auto/httpc_core/httpc_core.so: $(BUILD)/swig/perl/httpc_core_wrap.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(HUB_CFLAGS) -I$(PERL_CORE) $(PERL_CCFLAGS) -shared -o $@ $< $(HUB_LINK)
$(PERL_DIR)/httpc_core.pm: $(BUILD)/swig/perl/httpc_core.pm
	@mkdir -p $(dir $@)
	cp $< $@
$(PERL_DIR)/httpc.pm: bindings/perl/httpc.pm
	@mkdir -p $(dir $@)
	cp $< $@

# ---- Tcl: package httpc (httpc.tcl) over the SWIG module httpc_core ----
TCL_DIR := $(BUILD)/tcl/httpc
ifeq ($(TCL_OK),yes)
tcl: $(TCL_DIR)/httpc_core.so $(TCL_DIR)/httpc.tcl $(TCL_DIR)/pkgIndex.tcl $(TCL_DIR)/httpc_status.tsv
else
tcl:
	@echo "hub: skipping tcl: needs $(TCLSH), tcl.h and libtclstub8.6 (tcl-dev; make deps)"
endif

$(BUILD)/swig/tcl/httpc_core_wrap.c: $(HUB_I) core/include/httpc.h
	@mkdir -p $(dir $@)
	$(HUB_SWIG) -tcl8 -namespace -Icore/include -Ibindings -o $@ bindings/httpc.i
$(TCL_DIR)/httpc_core.so: $(BUILD)/swig/tcl/httpc_core_wrap.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(HUB_CFLAGS) -Wno-missing-braces -I$(dir $(TCL_INC)) -DUSE_TCL_STUBS -shared -o $@ $< \
	  $(HUB_LINK) $(TCL_STUB)
$(TCL_DIR)/httpc.tcl: bindings/tcl/httpc.tcl
	@mkdir -p $(dir $@)
	cp $< $@
$(TCL_DIR)/pkgIndex.tcl: bindings/tcl/pkgIndex.tcl Makefile
	@mkdir -p $(dir $@)
	sed -e 's|@VERSION@|$(VERSION)|g' $< > $@

# ---- Ruby: httpc.rb over the SWIG extension httpc_core ----
RUBY_DIR := $(BUILD)/ruby
ifeq ($(RUBY_OK),yes)
ruby: $(RUBY_DIR)/httpc_core.so $(RUBY_DIR)/httpc.rb $(RUBY_DIR)/httpc_status.tsv
else
ruby:
	@echo "hub: skipping ruby: no ruby.h (ruby-dev; make deps)"
endif

$(BUILD)/swig/ruby/httpc_core_wrap.c: $(HUB_I) core/include/httpc.h
	@mkdir -p $(dir $@)
	$(HUB_SWIG) -ruby -w801 -Icore/include -Ibindings -o $@ bindings/httpc.i
$(RUBY_DIR)/httpc_core.so: $(BUILD)/swig/ruby/httpc_core_wrap.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(HUB_CFLAGS) -I$(RUBY_HDR) -I$(RUBY_ARCHHDR) -shared -o $@ $< $(HUB_LINK) $(RUBY_LIBS)
$(RUBY_DIR)/httpc.rb: bindings/ruby/httpc.rb
	@mkdir -p $(dir $@)
	cp $< $@

$(PERL_DIR)/httpc_status.tsv $(TCL_DIR)/httpc_status.tsv $(RUBY_DIR)/httpc_status.tsv: $(HUB_STATUS)
	@mkdir -p $(dir $@)
	cp $< $@

# ---- tests: each suite skips itself when its language was not built ----
TEST_SUITES += "bash tests/perl/run.sh $(BUILD)"
TEST_SUITES += "bash tests/tcl/run.sh $(BUILD)"
TEST_SUITES += "bash tests/ruby/run.sh $(BUILD)"
test: bindings
