-- The LuaJIT FFI backend of httpc: the C ABI of core/include/httpc.h as
-- objects with methods, under the rules of bindings/BACKEND.md, so
-- lua/httpc.lua runs unchanged over it or over the SWIG module.
--
-- The library is looked up in this order: $HTTPC_LIB (and nothing else when
-- it is set, so a wrong setting is an error rather than a silent fallback),
-- the build tree next to this file (../../build/libhttpc.so.1), the
-- directories of package.cpath, then the system's libhttpc.so.1.
local ffi = require "ffi"

-- busted and friends may clear package.loaded and require us again, but a
-- VM accepts each cdef and metatype only once: hand back the first instance.
local REGKEY = "httpc.ffi backend"
do
    local reg = debug.getregistry()
    if reg[REGKEY] then return reg[REGKEY] end
end

local CDEF = require "httpc.cdef"
if not pcall(ffi.typeof, "httpc_conn") then ffi.cdef(CDEF) end

local type, tonumber, tostring, error = type, tonumber, tostring, error
local ffi_string, ffi_gc, ffi_new, ffi_sizeof = ffi.string, ffi.gc, ffi.new, ffi.sizeof

local function file_exists(path)
    local f = io.open(path, "rb")
    if f then f:close() end
    return f ~= nil
end

local function load_library()
    local tried = {}
    local function try(path)
        local ok, lib = pcall(ffi.load, path)
        if ok then return lib, path end
        tried[#tried + 1] = path .. ": " .. tostring(lib)
    end
    local env = os.getenv("HTTPC_LIB")
    if env and env ~= "" then
        local lib, path = try(env)
        if lib then return lib, path end
        error("httpc.ffi: cannot load $HTTPC_LIB (" .. tried[1] .. ")", 0)
    end
    local candidates = {}
    local src = debug.getinfo(1, "S").source
    local here = src:sub(1, 1) == "@" and src:match("^@(.*)/[^/]*$")
    if here then candidates[#candidates + 1] = here .. "/../../build/libhttpc.so.1" end
    for template in (package.cpath or ""):gmatch("[^;]+") do
        local dir = template:match("^(.*)/[^/]*%?")
        if dir then candidates[#candidates + 1] = dir .. "/libhttpc.so.1" end
    end
    for _, path in ipairs(candidates) do
        if file_exists(path) then
            local lib, p = try(path)
            if lib then return lib, p end
        end
    end
    local lib, p = try("libhttpc.so.1")
    if lib then return lib, p end
    error("httpc.ffi: libhttpc.so.1 not found (set HTTPC_LIB); tried:\n  " ..
          table.concat(tried, "\n  ") .. (#candidates > 0 and
          ("\n  and looked for: " .. table.concat(candidates, ", ")) or ""), 0)
end

local C, lib_path = load_library()

local B = { lib = C, lib_path = lib_path, name = "ffi" }

-- Every enum constant, by its C name without "HTTPC_" (B.OK, B.E_LAST, ...).
for body in CDEF:gmatch("enum[%w_%s]*(%b{})") do
    for name in body:gmatch("HTTPC_([%w_]+)%s*[=,}\n]") do
        B[name] = tonumber(C["HTTPC_" .. name])
    end
end
local OK, E_NOTCONNECTED = B.OK, B.E_NOTCONNECTED

-- Out-parameters, allocated once: no call re-enters the library (there are
-- no callbacks), so one set serves every handle of this VM.
local p_str = ffi_new("const char *[1]")
local p_len = ffi_new("size_t[1]")
local p_str2 = ffi_new("const char *[1]")
local p_len2 = ffi_new("size_t[1]")
local p_resp = ffi_new("httpc_response *[1]")

-- Arguments: bytes are Lua strings (numbers too, as lua_tolstring takes
-- them); anything else is a caller bug and raises like luaL_argerror.
local function argerr(n, fname, expected, v, level)
    error(("bad argument #%d to '%s' (%s expected, got %s)"):format(n, fname, expected, type(v)),
          level or 4)
end
local function bytes(v, n, fname)
    local t = type(v)
    if t == "string" then return v end
    if t == "number" then return tostring(v) end
    argerr(n, fname, "string", v)
end
local function opt_bytes(v, n, fname)
    if v == nil then return nil end
    return bytes(v, n, fname)
end
local function int(v, n, fname)
    local t = type(v)
    if t == "number" then return v end
    if t == "boolean" then return v and 1 or 0 end
    if v == nil then return 0 end
    argerr(n, fname, "number", v)
end
local function num(v, n, fname)
    if type(v) ~= "number" then argerr(n, fname, "number", v) end
    return v
end

local function str_out(p, len) return ffi_string(p[0], len[0]) end

-- Freed handles: the pointer is dead, so methods must not reach C.  Keys are
-- the cdata boxes we handed out (each handle has exactly one).
local freed = setmetatable({}, { __mode = "k" })

-- What error() answers on a freed handle.
local freed_error = {}
do
    local m = {
        code = function() return E_NOTCONNECTED end,
        message = function() return "the handle was freed" end,
        partial = function() return "" end,
        expected = function() return -1 end,
        errno = function() return 0 end,
        line = function() return "" end,
        what = function() return "" end,
        reason = function() return "" end,
    }
    setmetatable(freed_error, { __index = m })
end

-- ------------------------------------------------------------------ errors
local error_methods = {
    code = function(e) return tonumber(C.httpc_error_code(e)) end,
    message = function(e) return ffi_string(C.httpc_error_message(e)) end,
    partial = function(e)
        local p = C.httpc_error_partial(e, p_len)
        if p == nil then return "" end
        return ffi_string(p, p_len[0])
    end,
    expected = function(e) return tonumber(C.httpc_error_expected(e)) end,
    errno = function(e) return tonumber(C.httpc_error_errno(e)) end,
    line = function(e)
        local p = C.httpc_error_line(e, p_len)
        if p == nil then return "" end
        return ffi_string(p, p_len[0])
    end,
    what = function(e)
        local p = C.httpc_error_what(e)
        return p ~= nil and ffi_string(p) or ""
    end,
    reason = function(e)
        local p = C.httpc_error_reason(e)
        return p ~= nil and ffi_string(p) or ""
    end,
}
ffi.metatype("struct httpc_error", { __index = error_methods })

-- ------------------------------------------------------------------ TLS contexts
local ctx_methods = {}
function ctx_methods.free(x)
    if freed[x] then return end
    freed[x] = true
    C.httpc_tls_ctx_free(ffi_gc(x, nil))
end
function ctx_methods.error(x)
    if freed[x] then return freed_error end
    return C.httpc_tls_ctx_error(x)
end
function ctx_methods.load_verify_locations(x, cafile, capath)
    cafile = opt_bytes(cafile, 2, "load_verify_locations")
    capath = opt_bytes(capath, 3, "load_verify_locations")
    if freed[x] then return E_NOTCONNECTED end
    return tonumber(C.httpc_tls_ctx_load_verify_locations(x, cafile, capath))
end
function ctx_methods.load_verify_data(x, pem)
    pem = bytes(pem, 2, "load_verify_data")
    if freed[x] then return E_NOTCONNECTED end
    return tonumber(C.httpc_tls_ctx_load_verify_data(x, pem, #pem))
end
function ctx_methods.load_cert_chain(x, certfile, keyfile, password)
    certfile = opt_bytes(certfile, 2, "load_cert_chain")
    keyfile = opt_bytes(keyfile, 3, "load_cert_chain")
    password = opt_bytes(password, 4, "load_cert_chain")
    if freed[x] then return E_NOTCONNECTED end
    return tonumber(C.httpc_tls_ctx_load_cert_chain(x, certfile, keyfile, password))
end
for _, attr in ipairs { "check_hostname", "verify_mode", "minimum_version" } do
    local set, get = C["httpc_tls_ctx_set_" .. attr], C["httpc_tls_ctx_get_" .. attr]
    ctx_methods["set_" .. attr] = function(x, v)
        v = int(v, 2, "set_" .. attr)
        if freed[x] then return E_NOTCONNECTED end
        return tonumber(set(x, v))
    end
    ctx_methods["get_" .. attr] = function(x)
        if freed[x] then return 0 end
        return tonumber(get(x))
    end
end
ffi.metatype("struct httpc_tls_ctx", { __index = ctx_methods })

function B.tls_ctx_new(kind)
    local x = C.httpc_tls_ctx_new(int(kind, 1, "tls_ctx_new"))
    if x == nil then return nil end
    return ffi_gc(x, C.httpc_tls_ctx_free)
end

-- ------------------------------------------------------------------ responses
local resp_methods = {}
function resp_methods.free(r)
    if freed[r] then return end
    freed[r] = true
    C.httpc_response_free(ffi_gc(r, nil))
end
function resp_methods.error(r)
    if freed[r] then return freed_error end
    return C.httpc_response_error(r)
end
for _, attr in ipairs { "status", "version", "will_close", "chunked", "length", "closed",
                        "fileno", "debuglevel" } do
    local f = C["httpc_response_" .. attr]
    local dead = (attr == "closed") and 1 or (attr == "length" or attr == "fileno") and -1 or 0
    resp_methods[attr] = function(r)
        if freed[r] then return dead end
        return tonumber(f(r))
    end
end
function resp_methods.reason(r)
    if freed[r] then return "" end
    return ffi_string(C.httpc_response_reason(r, p_len), p_len[0])
end
function resp_methods.close(r)
    if freed[r] then return end
    C.httpc_response_close(r)
end
function resp_methods.header_count(r)
    if freed[r] then return 0 end
    return tonumber(C.httpc_response_header_count(r))
end
function resp_methods.header_at(r, i)
    i = num(i, 2, "header_at")
    if freed[r] then return E_NOTCONNECTED end
    local rc = tonumber(C.httpc_response_header_at(r, i, p_str, p_len, p_str2, p_len2))
    if rc ~= OK then return rc end
    return rc, str_out(p_str, p_len), str_out(p_str2, p_len2)
end
function resp_methods.getheader(r, name)
    name = bytes(name, 2, "getheader")
    if freed[r] then return 0 end
    local found = tonumber(C.httpc_response_getheader(r, name, #name, p_str, p_len))
    if found == 0 then return 0 end
    return found, str_out(p_str, p_len)
end

-- Reads: each returns rc, then the bytes (nil unless rc is OK).
local function reader(cname, fname)
    local f = C[cname]
    return function(r, n)
        if n == nil then n = -1 else n = num(n, 2, fname) end
        if freed[r] then return OK, "" end
        local rc = tonumber(f(r, n, p_str, p_len))
        if rc ~= OK then return rc end
        return rc, ffi_string(p_str[0], p_len[0])
    end
end
resp_methods.read = reader("httpc_response_read", "read")
resp_methods.read1 = reader("httpc_response_read1", "read1")
resp_methods.readline = reader("httpc_response_readline", "readline")
resp_methods.peek = reader("httpc_response_peek", "peek")

-- A buffer's usable size when the caller gave none: arrays know theirs,
-- pointers do not.
local function cdata_size(buf)
    if tostring(ffi.typeof(buf)):find("%*") then return nil end
    return ffi_sizeof(buf)
end

function resp_methods.readinto(r, buf, len)
    if type(buf) ~= "cdata" then argerr(2, "readinto", "cdata buffer", buf, 3) end
    if len == nil then
        len = cdata_size(buf)
        if not len then error("bad argument #3 to 'readinto' (length needed for a pointer)", 2) end
    else
        len = num(len, 3, "readinto")
        if len < 0 then error("bad argument #3 to 'readinto' (negative length)", 2) end
        local cap = cdata_size(buf)
        if cap and len > cap then error("bad argument #3 to 'readinto' (longer than the buffer)", 2) end
    end
    if freed[r] then return OK, 0 end
    local rc = tonumber(C.httpc_response_readinto(r, buf, len, p_len))
    return rc, tonumber(p_len[0])
end
ffi.metatype("struct httpc_response", { __index = resp_methods })

-- ------------------------------------------------------------------ connections
local conn_methods = {}
function conn_methods.free(c)
    if freed[c] then return end
    freed[c] = true
    C.httpc_conn_free(ffi_gc(c, nil))
end
function conn_methods.error(c)
    if freed[c] then return freed_error end
    return C.httpc_conn_error(c)
end
function conn_methods.host(c)
    if freed[c] then return "" end
    return ffi_string(C.httpc_conn_host(c))
end
function conn_methods.state(c)
    if freed[c] then return "Idle" end
    return ffi_string(C.httpc_conn_state(c))
end
for _, attr in ipairs { "port", "is_tls", "get_timeout", "get_blocksize", "get_debuglevel",
                        "fileno", "wants_close" } do
    local f = C["httpc_conn_" .. attr]
    local dead = (attr == "fileno" or attr == "get_timeout") and -1 or (attr == "wants_close") and 1 or 0
    conn_methods[attr] = function(c)
        if freed[c] then return dead end
        return tonumber(f(c))
    end
end
-- Setters without a return code.
for _, attr in ipairs { "set_timeout", "set_deadline", "set_blocksize", "set_debuglevel",
                        "consume" } do
    local f = C["httpc_conn_" .. attr]
    conn_methods[attr] = function(c, v)
        v = num(v, 2, attr)
        if freed[c] then return end
        f(c, v)
    end
end
-- No arguments, a return code.
for _, m in ipairs { "connect", "body_end" } do
    local f = C["httpc_conn_" .. m]
    conn_methods[m] = function(c)
        if freed[c] then return E_NOTCONNECTED end
        return tonumber(f(c))
    end
end
-- One byte string, a return code.
for _, m in ipairs { "send", "body_write", "feed", "putheader_continue" } do
    local f = C["httpc_conn_" .. m]
    conn_methods[m] = function(c, data)
        data = bytes(data, 2, m)
        if freed[c] then return E_NOTCONNECTED end
        return tonumber(f(c, data, #data))
    end
end
-- Two byte strings, a return code.
for _, m in ipairs { "putheader", "request_header", "add_tunnel_header" } do
    local f = C["httpc_conn_" .. m]
    conn_methods[m] = function(c, name, value)
        name = bytes(name, 2, m)
        value = bytes(value, 3, m)
        if freed[c] then return E_NOTCONNECTED end
        return tonumber(f(c, name, #name, value, #value))
    end
end
function conn_methods.close(c)
    if freed[c] then return end
    C.httpc_conn_close(c)
end
function conn_methods.feed_eof(c)
    if freed[c] then return end
    C.httpc_conn_feed_eof(c)
end
function conn_methods.set_source_address(c, host, port)
    host = bytes(host or "", 2, "set_source_address")
    port = int(port, 3, "set_source_address")
    if freed[c] then return E_NOTCONNECTED end
    return tonumber(C.httpc_conn_set_source_address(c, host, #host, port))
end
function conn_methods.set_tunnel(c, host, port)
    host = bytes(host, 2, "set_tunnel")
    port = port == nil and -1 or num(port, 3, "set_tunnel")
    if freed[c] then return E_NOTCONNECTED end
    return tonumber(C.httpc_conn_set_tunnel(c, host, #host, port))
end
function conn_methods.set_debug_sink_buffer(c)
    if freed[c] then return end
    C.httpc_conn_set_debug_sink(c, nil, nil)
end
function conn_methods.debug_take(c)
    if freed[c] then return "" end
    local p = C.httpc_conn_debug_take(c, p_len)
    if p == nil or p_len[0] == 0 then return "" end
    return ffi_string(p, p_len[0])
end
function conn_methods.request(c, method, url, body, flags)
    method = bytes(method, 2, "request")
    url = bytes(url, 3, "request")
    body = opt_bytes(body, 4, "request")
    flags = int(flags, 5, "request")
    if freed[c] then return E_NOTCONNECTED end
    return tonumber(C.httpc_conn_request(c, method, #method, url, #url, body,
                                         body and #body or 0, flags))
end
function conn_methods.putrequest(c, method, url, skip_host, skip_accept_encoding)
    method = bytes(method, 2, "putrequest")
    url = bytes(url, 3, "putrequest")
    skip_host = int(skip_host, 4, "putrequest")
    skip_accept_encoding = int(skip_accept_encoding, 5, "putrequest")
    if freed[c] then return E_NOTCONNECTED end
    return tonumber(C.httpc_conn_putrequest(c, method, #method, url, #url, skip_host,
                                            skip_accept_encoding))
end
function conn_methods.endheaders(c, body, flags)
    body = opt_bytes(body, 2, "endheaders")
    flags = int(flags, 3, "endheaders")
    if freed[c] then return E_NOTCONNECTED end
    return tonumber(C.httpc_conn_endheaders(c, body, body and #body or 0, flags))
end
function conn_methods.body_write_fd(c, fd)
    fd = num(fd, 2, "body_write_fd")
    if freed[c] then return E_NOTCONNECTED end
    return tonumber(C.httpc_conn_body_write_fd(c, fd))
end
function conn_methods.getresponse(c)
    if freed[c] then return E_NOTCONNECTED end
    local rc = tonumber(C.httpc_conn_getresponse(c, p_resp))
    if rc ~= OK then return rc end
    return rc, ffi_gc(p_resp[0], C.httpc_response_free)
end
function conn_methods.set_driven(c, on)
    on = int(on, 2, "set_driven")
    if freed[c] then return E_NOTCONNECTED end
    return tonumber(C.httpc_conn_set_driven(c, on))
end
function conn_methods.output(c)
    if freed[c] then return "" end
    local p = C.httpc_conn_output(c, p_len)
    return ffi_string(p, p_len[0])
end
ffi.metatype("struct httpc_conn", { __index = conn_methods })

function B.conn_new(host, port, tls)
    host = bytes(host, 1, "conn_new")
    if port == nil then port = -1 else port = num(port, 2, "conn_new") end
    if tls ~= nil and not ffi.istype("httpc_tls_ctx *", tls) then
        argerr(3, "conn_new", "tls context", tls, 3)
    end
    if tls ~= nil and freed[tls] then
        error("bad argument #3 to 'conn_new' (freed tls context)", 2)
    end
    local c = C.httpc_conn_new(host, #host, port, tls)
    if c == nil then return nil end
    return ffi_gc(c, C.httpc_conn_free)
end

-- ------------------------------------------------------------------ module functions
function B.version() return ffi_string(C.httpc_version()) end
function B.abi_version() return tonumber(C.httpc_abi_version()) end
function B.code_name(code)
    local p = C.httpc_code_name(num(code, 1, "code_name"))
    return p ~= nil and ffi_string(p) or nil
end
function B.code_parent(code, n)
    return tonumber(C.httpc_code_parent(num(code, 1, "code_parent"), num(n, 2, "code_parent")))
end
function B.code_is(code, ancestor)
    return tonumber(C.httpc_code_is(num(code, 1, "code_is"), num(ancestor, 2, "code_is")))
end
function B.code_from_name(name)
    return tonumber(C.httpc_code_from_name(bytes(name, 1, "code_from_name")))
end

-- A caller-owned byte buffer for readinto (uint8_t[size]); B.buffer_tostring
-- is the SWIG buffer's buf:tostring(n) for it.
local u8arr = ffi.typeof("uint8_t[?]")
function B.buffer(size)
    size = num(size, 1, "buffer")
    if size < 0 then error("bad argument #1 to 'buffer' (negative size)", 2) end
    return u8arr(size)
end
function B.buffer_tostring(buf, n)
    if type(buf) ~= "cdata" then argerr(1, "buffer_tostring", "cdata buffer", buf, 3) end
    return ffi_string(buf, num(n, 2, "buffer_tostring"))
end

debug.getregistry()[REGKEY] = B
return B
