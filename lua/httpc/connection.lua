-- HTTPConnection / HTTPSConnection over a backend connection handle.
--
-- Driven-transport hook (for lua/httpc/ngx.lua and other event loops)
-- ------------------------------------------------------------------
-- Every backend call that may answer B.WANT_READ / B.WANT_WRITE /
-- B.WANT_CONNECT goes through one method, `conn:_io(fn, handle, ...)`,
-- which calls `fn(handle, ...)` (a backend method and its arguments: no
-- closure per call).  With `conn._pump` unset (the default: C owns a
-- blocking socket) it just calls.  With `conn._pump` set, it loops:
--
--     rc = fn(handle, ...)
--     while rc is WANT_*:  ok, err = conn._pump(conn, rc);  rc = fn(handle, ...)
--
-- The pump moves bytes between the caller's transport and the engine:
-- WANT_CONNECT: open the transport, WANT_WRITE: send conn._c:output() then
-- conn._c:consume(n), WANT_READ: conn._c:feed(data) or conn._c:feed_eof().
-- It returns true, or nil and an error object (httpc.errors) that the call
-- then returns.  Responses of a pumped connection read through the same
-- `_io`.
--
-- Which transport a new connection gets is decided by ONE function,
-- `connection.transport_for(conn, opts)`: it returns a pump (after putting
-- the backend handle in driven mode with conn._c:set_driven(1)) or nil for
-- C's own sockets.  The default honours `opts.pump`; an integration such as
-- the ngx module replaces it (keeping a reference to the previous one to
-- fall back on).
local args = require "httpc.args"
local body = require "httpc.body"
local errors = require "httpc.errors"
local response = require "httpc.response"
local debug_sink = require "httpc.debug"

local type, rawget, setmetatable = type, rawget, setmetatable

local M = {}
local B  -- the backend, set by M.init
local OK, BODY_NONE, BODY_BYTES, BODY_STREAM, ENCODE_CHUNKED  -- B's, as locals

local Conn = {}
local mt = { __name = "httpc.HTTPConnection" }

local function fail(handle)
  return nil, errors.from_backend(handle:error())
end

local function is_want(rc)
  return rc == B.WANT_READ or rc == B.WANT_WRITE or rc == B.WANT_CONNECT
end

-- The one place I/O calls go through (see the top of this file):
-- conn:_io(fn, handle, ...) calls fn(handle, ...), a backend method and its
-- arguments rather than a closure, so a request makes no function object
-- (LuaJIT cannot compile FNEW: a closure per call kept every trace out).
function Conn:_io(fn, h, ...)
  local rc, a, b, c = fn(h, ...)
  local pump = rawget(self, "_pump")
  if pump then
    while is_want(rc) do
      local ok, err = pump(self, rc)
      if not ok then return -1, err end
      rc, a, b, c = fn(h, ...)
    end
  end
  -- lines exist only once set_debuglevel asked for them
  if rawget(self, "_dbg") then debug_sink.drain(self._c) end
  return rc, a, b, c
end
local Conn_io = Conn._io

-- conn:_io, or the per-connection replacement an integration installed
-- (lua/httpc/ngx.lua), without going through __index.
local function do_io(self, fn, h, ...)
  local f = rawget(self, "_io")
  if f then return f(self, fn, h, ...) end
  if rawget(self, "_pump") or rawget(self, "_dbg") then return Conn_io(self, fn, h, ...) end
  return fn(h, ...)
end

-- Turns a backend return code into true or nil, err.
local function result(self, rc, err)
  if rc == OK then return true end
  if err then return nil, err end
  if is_want(rc) then
    return nil, errors.new("HTTPException",
      ("driven connection has no pump (%s)"):format(B.code_name(rc)))
  end
  return fail(self._c)
end
Conn._result = result

-- Backend connection methods, looked up once per name.
local method = require("httpc.methods")()

function M.transport_for(conn, opts)
  if opts.pump ~= nil then
    if type(opts.pump) ~= "function" then
      args.error("HTTPConnection", 3, "opts.pump must be a function")
    end
    conn._c:set_driven(1)
    return opts.pump
  end
  return nil
end

-- Properties: conn.host, conn.port, conn.timeout (settable), conn.blocksize.
local getters = {
  host = function(self) return self._c:host() end,
  port = function(self) return self._c:port() end,
  timeout = function(self)
    local t = self._c:get_timeout()
    if t < 0 then return nil end
    return t
  end,
  blocksize = function(self) return self._c:get_blocksize() end,
  debuglevel = function(self) return self._c:get_debuglevel() end,
  fileno_ = function(self) return self._c:fileno() end,
}

local setters = {
  timeout = function(self, v)
    args.check("timeout", 1, v, "number", "nil")
    self._c:set_timeout(v or -1)
  end,
  blocksize = function(self, v)
    args.int("blocksize", 1, v)
    self._c:set_blocksize(v)
  end,
}

mt.__index = function(self, k)
  local m = Conn[k]
  if m ~= nil then return m end
  local g = getters[k]
  if g then return g(self) end
  return nil
end

mt.__newindex = function(self, k, v)
  local s = setters[k]
  if s then return s(self, v) end
  rawset(self, k, v)
end

mt.__gc = function(self)
  local c = rawget(self, "_c")
  if c then c:free() end
end

mt.__close = function(self) self:close() end

-- conn:connect()
function Conn:connect()
  local c = self._c
  return result(self, do_io(self, method(c, "connect"), c))
end

-- conn:close(): never fails; open responses stay readable where their
-- bytes were read.
function Conn:close()
  self._c:close()
end

function Conn:fileno() return self._c:fileno() end

-- conn:set_debuglevel(level): the trace goes to the debug sink
-- (io.stdout unless httpc.set_debug_sink was called).
function Conn:set_debuglevel(level)
  args.int("set_debuglevel", 1, level)
  self._c:set_debuglevel(level)
  if level > 0 then rawset(self, "_dbg", true) end
end

-- Flattens headers given as a map {name = value | {v1, v2}} and/or an
-- array of {name, value} pairs (kept in order) into {{name, value}, ...},
-- raising on a wrong type before anything is staged in C.
local function flatten_headers(fname, n, headers)
  local out = {}
  local function one(name, value)
    if type(name) ~= "string" then
      args.error(fname, n, "header name must be a string, got " .. args.typename(name))
    end
    local t = type(value)
    if t == "number" then value = tostring(value); t = "string" end
    if t == "string" then out[#out + 1] = { name, value }; return end
    if t == "table" then
      for i = 1, #value do one(name, value[i]) end
      return
    end
    args.error(fname, n, ("value of header '%s' must be a string, number or array, got %s")
      :format(name, args.typename(value)))
  end
  for i = 1, #headers do
    local pair = headers[i]
    if type(pair) ~= "table" then
      args.error(fname, n, "header pair #" .. i .. " must be a table {name, value}")
    end
    one(pair[1], pair[2])
  end
  for k, v in pairs(headers) do
    if type(k) ~= "number" then one(k, v) end
  end
  return out
end

local function stage_headers(self, fname, n, headers, add)
  for _, h in ipairs(flatten_headers(fname, n, headers)) do
    local ok, err = add(h[1], h[2])
    if not ok then return nil, err end
  end
  return true
end
M.stage_headers = stage_headers

-- Sends a non-string body after the head.
function Conn:_stream(kind, b, fname)
  local c = self._c
  local write = method(c, "body_write")
  local ok, err = body.each(b, kind, c:get_blocksize(), fname, function(s)
    return result(self, do_io(self, write, c, s))
  end)
  if not ok then return nil, err end
  return result(self, do_io(self, method(c, "body_end"), c))
end

-- A function of its own, so request() itself makes no closure (and, on
-- LuaJIT, keeps c out of an upvalue: UCLO is not compiled either).
local function stage_request_headers(self, c, headers)
  return stage_headers(self, "request", 4, headers, function(name, value)
    local rc = c:request_header(name, value)
    if rc ~= OK then return fail(c) end
    return true
  end)
end

-- conn:request(method, url [, body [, headers [, opts]]])
function Conn:request(verb, url, b, headers, opts)
  -- the checks raise only on a wrong type; the common case costs a type()
  if type(verb) ~= "string" then args.check("request", 1, verb, "string") end
  if type(url) ~= "string" then args.check("request", 2, url, "string") end
  local kind
  if b == nil then kind = "none"
  elseif type(b) == "string" then kind = "bytes"
  else kind = body.check("request", 3, b) end
  if headers ~= nil and type(headers) ~= "table" then
    args.check("request", 4, headers, "table", "nil")
  end
  if opts ~= nil and type(opts) ~= "table" then args.check("request", 5, opts, "table", "nil") end
  local c = self._c
  if headers then
    local ok, err = stage_request_headers(self, c, headers)
    if not ok then return nil, err end
  end
  local flags, data = BODY_NONE, nil
  if kind == "bytes" then flags, data = BODY_BYTES, b
  elseif kind ~= "none" then flags = BODY_STREAM end
  if opts and opts.encode_chunked then flags = flags + ENCODE_CHUNKED end
  local ok, err = result(self, do_io(self, method(c, "request"), c, verb, url, data, flags))
  if not ok then return nil, err end
  if flags % 0x100 == BODY_STREAM then return self:_stream(kind, b, "request") end
  return true
end

-- conn:getresponse()
function Conn:getresponse()
  local c = self._c
  local rc, r = do_io(self, method(c, "getresponse"), c)
  if rc ~= OK then return result(self, rc, r) end
  return response.new(r, rawget(self, "_pump") and self or nil)
end

-- conn:set_tunnel(host [, port [, headers]])
function Conn:set_tunnel(host, port, headers)
  args.check("set_tunnel", 1, host, "string")
  if type(port) == "table" and headers == nil then port, headers = nil, port end
  args.int("set_tunnel", 2, port, true)
  args.check("set_tunnel", 3, headers, "table", "nil")
  local c = self._c
  if c:set_tunnel(host, port or -1) ~= B.OK then return fail(c) end
  if headers then
    return stage_headers(self, "set_tunnel", 3, headers, function(name, value)
      if c:add_tunnel_header(name, value) ~= B.OK then return fail(c) end
      return true
    end)
  end
  return true
end

local function flag(v) return (v and v ~= 0) and 1 or 0 end

-- conn:putrequest(method, url [, skip_host [, skip_accept_encoding]])
function Conn:putrequest(verb, url, skip_host, skip_accept_encoding)
  args.check("putrequest", 1, verb, "string")
  args.check("putrequest", 2, url, "string")
  local c = self._c
  return result(self, do_io(self, method(c, "putrequest"), c, verb, url, flag(skip_host),
                         flag(skip_accept_encoding)))
end

local function header_value(fname, n, v)
  if type(v) == "number" then return tostring(v) end
  if type(v) ~= "string" then
    args.error(fname, n, "string expected, got " .. args.typename(v))
  end
  return v
end

-- conn:putheader(name, value, ...): further values become continuation
-- lines, as http.client joins them with "\r\n\t".
function Conn:putheader(name, ...)
  args.check("putheader", 1, name, "string")
  local c = self._c
  local nv = select("#", ...)
  local first = nv > 0 and header_value("putheader", 2, (...)) or ""
  if c:putheader(name, first) ~= B.OK then return fail(c) end
  for i = 2, nv do
    local v = header_value("putheader", i + 1, (select(i, ...)))
    if c:putheader_continue(v) ~= B.OK then return fail(c) end
  end
  return true
end

-- conn:endheaders([message_body [, opts]])
function Conn:endheaders(b, opts)
  local kind = body.check("endheaders", 1, b)
  args.check("endheaders", 2, opts, "table", "nil")
  local flags = (opts and opts.encode_chunked) and B.ENCODE_CHUNKED or 0
  local c = self._c
  -- nil, not "": C frames a given body (even an empty one) as the whole
  -- body, last chunk included; nil lets the streamed pieces follow.
  local data = kind == "bytes" and b or nil
  local ok, err = result(self, do_io(self, method(c, "endheaders"), c, data, flags))
  if not ok then return nil, err end
  if kind == "bytes" or kind == "none" then return true end
  return self:_stream(kind, b, "endheaders")
end

-- conn:send(data): raw bytes (a string, file, iterator or array of strings).
function Conn:send(data)
  local kind = body.check("send", 1, data)
  local c = self._c
  local send = method(c, "send")
  return body.each(data, kind, c:get_blocksize(), "send", function(s)
    return result(self, do_io(self, send, c, s))
  end)
end

-- Applies the keyword options shared by both constructors.
local function apply_opts(self, fname, opts)
  local c = self._c
  if opts.timeout ~= nil then
    args.check(fname, 3, opts.timeout, "number")
    c:set_timeout(opts.timeout)
  end
  if opts.blocksize ~= nil then
    args.int(fname, 3, opts.blocksize)
    c:set_blocksize(opts.blocksize)
  end
  local sa = opts.source_address
  if sa ~= nil then
    if type(sa) ~= "table" then args.error(fname, 3, "source_address must be {host, port}") end
    if c:set_source_address(sa[1] or "", sa[2] or 0) ~= B.OK then return fail(c) end
  end
  if opts.deadline ~= nil then
    args.check(fname, 3, opts.deadline, "number")
    c:set_deadline(opts.deadline)
  end
  return true
end

-- new(fname, host, port, opts, tls_ctx_handle)
function M.new(fname, host, port, opts, tls)
  args.check(fname, 1, host, "string")
  if type(port) == "table" and opts == nil then port, opts = nil, port end
  if type(port) == "string" and port:match("^%d+$") then port = tonumber(port) end
  args.int(fname, 2, port, true)
  args.check(fname, 3, opts, "table", "nil")
  opts = opts or {}
  local c = B.conn_new(host, port or -1, tls)
  if not c then return nil, errors.new("MemoryError", "out of memory") end
  local self = setmetatable({ _c = c, _tls = tls }, mt)
  if c:error():code() ~= B.OK then return fail(c) end
  c:set_debug_sink_buffer()
  local ok, err = apply_opts(self, fname, opts)
  if not ok then return nil, err end
  local pump = M.transport_for(self, opts)
  if pump then rawset(self, "_pump", pump) end
  return self
end

function M.is_connection(v) return getmetatable(v) == mt end

function M.init(backend)
  B, OK = backend, backend.OK
  BODY_NONE, BODY_BYTES, BODY_STREAM = B.BODY_NONE, B.BODY_BYTES, B.BODY_STREAM
  ENCODE_CHUNKED = B.ENCODE_CHUNKED
  CM = {}
  response.init(backend)
end

return M
