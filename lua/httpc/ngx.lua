-- httpc inside nginx (lua-nginx-module / OpenResty): connections made in a
-- phase that has cosockets run the core's caller-driven transport over an
-- ngx.socket.tcp, so a request yields to nginx instead of blocking the
-- worker.  Elsewhere (init, init_worker, set, header_filter, body_filter,
-- log) they keep the core's blocking sockets, and the debug trace says so.
--
-- The HTTP rules stay in C: this file only moves bytes (WANT_CONNECT: open
-- the cosocket, TLS included; WANT_WRITE: send conn:output(); WANT_READ:
-- receiveany() into conn:feed(), or conn:feed_eof() on "closed").
--
-- Installed by require "httpc" when running under nginx; see
-- docs/OPENRESTY.md for the configuration it needs.
local M = {}

local ngx = ngx
local errors = require "httpc.errors"
local debug_sink = require "httpc.debug"

-- Phases where lua-nginx-module allows cosockets.
local COSOCKET_PHASES = {
    rewrite = true, server_rewrite = true, access = true, content = true, timer = true,
    ssl_cert = true, ssl_session_fetch = true, ssl_client_hello = true,
}
M.COSOCKET_PHASES = COSOCKET_PHASES

local RECV_SIZE = 65536

local B, connection

-- nginx's resolver ignores /etc/hosts, so "localhost" and friends would
-- need a DNS server: look names up there first (read once per worker).
local hosts
local function hosts_lookup(name)
    if not hosts then
        hosts = {}
        local f = io.open("/etc/hosts", "r")
        if f then
            for line in f:lines() do
                line = line:gsub("#.*", "")
                local addr, rest = line:match("^%s*(%S+)%s+(.+)$")
                if addr then
                    for n in rest:gmatch("%S+") do
                        n = n:lower()
                        -- IPv4 first: loopback services often listen there only
                        local cur = hosts[n]
                        if not cur or (cur:find(":") and not addr:find(":")) then hosts[n] = addr end
                    end
                end
            end
            f:close()
        end
    end
    return hosts[name:lower()]
end

local function is_ip_literal(h)
    return h:find("^%d+%.%d+%.%d+%.%d+$") ~= nil or h:find(":") ~= nil
end

local function connect_address(host)
    local addr = is_ip_literal(host) and host or hosts_lookup(host) or host
    if addr:find(":") then return "[" .. addr .. "]" end
    return addr
end

-- A cosocket error string as an httpc error object.
local function sock_error(op, err)
    local e = tostring(err)
    local name
    if e == "timeout" then
        return errors.new("TimeoutError", "timed out")
    elseif e:find("refused", 1, true) then name = "ConnectionRefusedError"
    elseif e:find("reset", 1, true) then name = "ConnectionResetError"
    elseif e:find("broken pipe", 1, true) then name = "BrokenPipeError"
    elseif e:find("resolve", 1, true) then name = "NameResolutionError"
    elseif op == "sslhandshake" then
        if e:find("verify", 1, true) or e:find("host mismatch", 1, true) then
            name = "SSLCertVerificationError"
        else
            name = "SSLError"
        end
    elseif e == "closed" then
        name = op == "send" and "BrokenPipeError" or "ConnectionResetError"
    else
        name = "ConnectionError"
    end
    return errors.new(name, op .. ": " .. e)
end

-- The trace goes to the error log unless the application picks a sink.
local function log_sink(text)
    for line in text:gmatch("[^\n]+") do ngx.log(ngx.NOTICE, "httpc: ", line) end
end

-- A note for the debug trace, emitted (once) at the first I/O made with
-- debuglevel > 0, since set_debuglevel comes after the constructor.
local function trace_once(conn, note)
    rawset(conn, "_ngx_note", note)
end
local function flush_note(conn)
    local note = rawget(conn, "_ngx_note")
    if note and conn._c:get_debuglevel() > 0 then
        rawset(conn, "_ngx_note", false)
        debug_sink.drain({ debug_take = function() return note .. "\n" end })
    end
end

local function class_method(conn, name)
    return getmetatable(conn).__index(conn, name)
end

-- ---------------------------------------------------------------- driven connections

-- Per connection state: st.sock (the cosocket or nil), st.cur.resp (the backend
-- response of the exchange in progress), st.keepalive ({idle, size} or nil).
local function close_sock(st)
    if st.sock then st.sock:close() end
    st.sock = nil
end

local function apply_timeouts(st, c)
    local t = c:get_timeout()
    if t == st.timeout then return end
    st.timeout = t
    if t >= 0 then
        local ms = math.max(1, math.floor(t * 1000 + 0.5))
        st.sock:settimeouts(ms, ms, ms)
    else
        -- no timeout in http.client terms; nginx has no "forever": keep the
        -- lua_socket_*_timeout defaults
        st.sock:settimeouts(nil, nil, nil)
    end
end

local function open(st, c)
    close_sock(st)
    local sock, err = ngx.socket.tcp()
    if not sock then return nil, sock_error("socket", err) end
    st.sock, st.timeout = sock, nil
    apply_timeouts(st, c)
    local ok
    if st.source then
        ok, err = sock:bind(st.source)
        if not ok then close_sock(st); return nil, sock_error("bind", err) end
    end
    ok, err = sock:connect(connect_address(st.host), st.port, { pool = st.pool })
    if not ok then
        st.sock = nil
        return nil, sock_error("connect", err)
    end
    if st.tls and (sock:getreusedtimes() or 0) == 0 then
        ok, err = sock:sslhandshake(false, st.sni, st.verify)
        if not ok then close_sock(st); return nil, sock_error("sslhandshake", err) end
        -- lua-nginx-module 0.10.23 reports a failed certificate or host
        -- check as success (only logging it) but closes the socket: look.
        if not sock:getreusedtimes() then
            st.sock = nil
            return nil, errors.new(st.verify and "SSLCertVerificationError" or "SSLError",
                "sslhandshake: certificate verify failed for " .. tostring(st.sni or st.host) ..
                " (nginx's error log has the reason; trust comes from lua_ssl_trusted_certificate)")
        end
    end
    return true
end

-- An I/O failure ends the connection, as the core's own transports do
-- (a timeout leaves it as it is, as in http.client).
local function io_failed(conn, st, err)
    if not err:is("TimeoutError") then
        close_sock(st)
        conn._c:close()
    end
    return nil, err
end

local function make_pump(st)
    local OK, WANT_CONNECT, WANT_WRITE = B.OK, B.WANT_CONNECT, B.WANT_WRITE
    return function(conn, rc)
        local c = conn._c
        if rc == WANT_CONNECT or not st.sock then
            -- a new transport: whatever exchange was tracked is over
            st.cur.resp = nil
            local ok, err = open(st, c)
            if not ok then return nil, err end
            if rc == WANT_CONNECT and c:connect() ~= OK then
                close_sock(st)
                return nil, errors.from_backend(c:error())
            end
            return true
        end
        local sock = st.sock
        apply_timeouts(st, c)
        if rc == WANT_WRITE then
            local data = c:output()
            local n, err = sock:send(data)
            if not n then return io_failed(conn, st, sock_error("send", err)) end
            c:consume(#data)
            return true
        end
        local data, err = sock:receiveany(RECV_SIZE)
        if data then
            if c:feed(data) ~= OK then return nil, errors.from_backend(c:error()) end
            return true
        end
        if err == "closed" then
            c:feed_eof()
            st.sock = nil -- the cosocket closed itself
            return true
        end
        return io_failed(conn, st, sock_error("receive", err))
    end
end

-- After each call: remember the exchange's response; once its body is read,
-- close the cosocket if either side wants that, or hand it to nginx's pool
-- when set_keepalive asked for it (the core then reopens — from the pool —
-- on the next request).
local function after_io(conn, st, rc, a)
    local c = conn._c
    if rc == B.OK and a ~= nil and type(a) ~= "string" and type(a) ~= "number" then
        st.cur.resp = a
    end
    if c:wants_close() == 1 then
        close_sock(st)
        st.cur.resp = nil
        return
    end
    local r = st.cur.resp
    if r and r:closed() == 1 then
        st.cur.resp = nil
        if not st.sock then return end
        if r:will_close() == 1 then
            close_sock(st)
            c:close()
        elseif st.keepalive and c:output() == "" then
            local sock = st.sock
            st.sock = nil
            c:close()
            local ok = sock:setkeepalive(st.keepalive[1], st.keepalive[2])
            if not ok then sock:close() end
        end
    end
end

local function drive(conn, opts, tls_handle)
    local c = conn._c
    local host, port = c:host(), c:port()
    -- st.cur holds the response weakly: a dropped Lua response is still
    -- collected (and its handle freed, closing an unread exchange) while
    -- the connection lives
    local st = { host = host, port = port, tls = tls_handle ~= nil,
                 cur = setmetatable({}, { __mode = "v" }) }
    if tls_handle then
        -- The cosocket does TLS; the driven core handle keeps its context,
        -- so it still knows it speaks HTTPS (default port 443 in Host).
        st.verify = tls_handle:get_verify_mode() ~= B.CERT_NONE
        local check = tls_handle:get_check_hostname() == 1
        -- SNI only for DNS names; nginx checks the name it was given
        -- (check_hostname off with verification on: no name, so no SNI either)
        st.sni = (check or not st.verify) and not is_ip_literal(host) and host or nil
    end
    local sa = opts.source_address
    if sa then st.source = sa[1] ~= "" and sa[1] or nil end
    st.pool = ("httpc:%s:%d:%s:%s"):format(host, port, st.tls and "tls" or "tcp",
                                           st.tls and ((st.sni or "") .. (st.verify and ":v" or ":nv")) or "")
    rawset(conn, "_ngx", st)
    local orig_io = class_method(conn, "_io")
    local orig_close = class_method(conn, "close")
    local orig_connect = class_method(conn, "connect")
    rawset(conn, "_io", function(self, fn, h, ...)
        flush_note(self)
        local rc, a, b, d = orig_io(self, fn, h, ...)
        after_io(self, st, rc, a)
        return rc, a, b, d
    end)
    rawset(conn, "close", function(self)
        orig_close(self)
        close_sock(st)
        st.cur.resp = nil
    end)
    rawset(conn, "connect", function(self)
        -- the core's driven connect() does not ask for the transport
        if not st.sock then
            local ok, err = open(st, self._c)
            if not ok then return nil, err end
        end
        return orig_connect(self)
    end)
    -- the driven core does no CONNECT of its own: refuse rather than talk
    -- to the proxy as if it were the origin
    rawset(conn, "set_tunnel", function()
        return nil, errors.new("HTTPException",
            "set_tunnel is not available over nginx cosockets (construct with {ngx = false})")
    end)
    rawset(conn, "set_keepalive", function(self, idle_ms, pool_size)
        if idle_ms ~= nil and type(idle_ms) ~= "number" then
            error("bad argument #1 to 'set_keepalive' (number expected, got " .. type(idle_ms) .. ")", 2)
        end
        if pool_size ~= nil and type(pool_size) ~= "number" then
            error("bad argument #2 to 'set_keepalive' (number expected, got " .. type(pool_size) .. ")", 2)
        end
        st.keepalive = { idle_ms, pool_size }
        return true
    end)
    c:set_driven(1)
    trace_once(conn, ("httpc.ngx: phase %s: nginx cosocket transport (non-blocking)%s"):format(
        ngx.get_phase(), st.tls and (", TLS verify=" .. tostring(st.verify) .. " sni=" .. tostring(st.sni)) or ""))
    return make_pump(st)
end

-- The blocking transport, with the reason in the trace.
local function blocking(conn, phase)
    trace_once(conn, ("httpc.ngx: phase %s has no cosockets: blocking transport (this worker waits)")
        :format(phase))
    local orig_io = class_method(conn, "_io")
    rawset(conn, "_io", function(self, fn, h, ...)
        flush_note(self)
        return orig_io(self, fn, h, ...)
    end)
    -- the C connection already persists between requests
    rawset(conn, "set_keepalive", function() return true end)
end

function M.install(conn_mod, backend)
    if M.installed then return end
    B, connection = backend, conn_mod
    local previous = conn_mod.transport_for
    conn_mod.transport_for = function(conn, opts)
        if opts.pump ~= nil or opts.ngx == false then return previous(conn, opts) end
        local phase = ngx.get_phase()
        if not COSOCKET_PHASES[phase] then
            blocking(conn, phase)
            return previous(conn, opts)
        end
        local pump, err = drive(conn, opts, rawget(conn, "_tls"))
        if not pump then error(err, 0) end
        return pump
    end
    debug_sink.set(log_sink)
    M.installed = true
end

return M
