-- HTTPResponse over a backend response handle.  Every read goes through
-- the owning connection's `_io` when that connection is pumped (driven
-- transport); otherwise the response holds only its C handle, which keeps
-- the C connection alive by itself, so the Lua connection may be collected
-- first.
local args = require "httpc.args"
local errors = require "httpc.errors"
local message = require "httpc.message"

local M = {}
local B
local OK  -- B.OK

local unpack = table.unpack or unpack
local type, rawget, select, setmetatable = type, rawget, select, setmetatable

local Resp = {}
local mt = { __name = "httpc.HTTPResponse" }

-- (rc, value) -> value on success, nil, err otherwise.
local function result(self, rc, a)
  if rc == OK then return a end
  if rc == -1 and errors.is_error(a) then return nil, a end
  if rc == B.WANT_READ or rc == B.WANT_WRITE or rc == B.WANT_CONNECT then
    return nil, errors.new("HTTPException", "driven response read without a pump")
  end
  return nil, errors.from_backend(self._r:error())
end
Resp._result = result

-- Backend response methods, looked up once per name.
local method = require("httpc.methods")()

local function rm(r, name) return RM[name] or method(r, name) end

-- One backend read: through the connection's _io when it is pumped (a
-- method and its argument, not a closure: LuaJIT cannot compile FNEW).
local function call(self, name, arg)
  local r = self._r
  local f = RM[name] or method(r, name)
  local conn = rawget(self, "_conn")
  if conn then return result(self, conn:_io(f, r, arg)) end
  return result(self, f(r, arg))
end

local function read_all(self) return call(self, "read", -1) end

-- A numeral as file:read("n") reads it: optional whitespace, then the
-- longest prefix (at most 200 bytes) that looks like a Lua numeral.
local function read_number(self)
  local function peek1()
    local s, err = call(self, "peek", 1)
    if not s then return nil, err end
    return s:sub(1, 1)
  end
  local ch, err = peek1()
  while ch and ch ~= "" and ch:match("%s") do
    call(self, "read", 1)
    ch, err = peek1()
  end
  if not ch then return nil, err end
  local buf = {}
  while ch ~= "" and #buf < 200 and ch:match("[%w%.%+%-]") do
    local s, rerr = call(self, "read", 1)
    if not s then return nil, rerr end
    buf[#buf + 1] = s
    ch, err = peek1()
    if not ch then return nil, err end
  end
  return tonumber(table.concat(buf))
end

local function read_format(self, fmt, n)
  if fmt == nil then return read_all(self) end
  if type(fmt) == "number" then
    args.int("read", n, fmt)
    if fmt < 0 then return read_all(self) end
    if fmt == 0 then return "" end
    return call(self, "read", fmt)
  end
  if type(fmt) ~= "string" then
    args.error("read", n, "number or string expected, got " .. args.typename(fmt))
  end
  local f = fmt:gsub("^%*", ""):sub(1, 1)
  if f == "a" then return read_all(self) end
  if f == "l" or f == "L" then
    local line, err = call(self, "readline", -1)
    if line == nil then return nil, err end
    if line == "" then return nil end
    if f == "l" and line:sub(-1) == "\n" then line = line:sub(1, -2) end
    return line
  end
  if f == "n" then return read_number(self) end
  args.error("read", n, "invalid format")
end

-- resp:read([amt | fmt, ...]): amt as http.client ("" at the end), or
-- file:read formats ("a", "l", "L", "n", with or without "*").
function Resp:read(fmt, ...)
  local nargs = select("#", ...)
  if nargs == 0 then
    -- the common case, read(n): straight to the backend
    if fmt == nil then
      local data, err = call(self, "read", -1)
      -- the whole body is now a Lua string: the C buffer that held it goes
      -- back at once, not when the GC gets to the handle, so the next
      -- response reuses warm memory
      if data then rm(self._r, "close")(self._r) end
      return data, err
    end
    if type(fmt) == "number" and fmt > 0 and fmt % 1 == 0 then return call(self, "read", fmt) end
    return read_format(self, fmt, 1)
  end
  nargs = nargs + 1
  local out = {}
  for i = 1, nargs do
    local f = fmt
    if i > 1 then f = (select(i - 1, ...)) end
    local v, err = read_format(self, f, i)
    if v == nil then
      if err then return nil, err end
      out[i] = nil
      return unpack(out, 1, i)
    end
    out[i] = v
  end
  return unpack(out, 1, nargs)
end

-- resp:readinto(buf [, len]): buf from httpc.buffer(size) (a backend
-- buffer or an FFI cdata); returns the number of bytes stored (0 at the end).
function Resp:readinto(buf, len)
  if buf == nil then args.error("readinto", 1, "buffer expected, got nil") end
  args.int("readinto", 2, len, true)
  local r = self._r
  local f = RM.readinto or method(r, "readinto")
  local conn = rawget(self, "_conn")
  if conn then return result(self, conn:_io(f, r, buf, len)) end
  return result(self, f(r, buf, len))
end

local function limit(fname, v)
  args.int(fname, 1, v, true)
  if v == nil or v < 0 then return -1 end
  return v
end

function Resp:readline(lim) return call(self, "readline", limit("readline", lim)) end
function Resp:peek(n) return call(self, "peek", limit("peek", n)) end
function Resp:read1(n) return call(self, "read1", limit("read1", n)) end

-- resp:getheader(name [, default]): repeated headers joined by ", "; a
-- table default is joined the same way, as http.client joins an iterable.
function Resp:getheader(name, default)
  args.check("getheader", 1, name, "string")
  local r = self._r
  local found, value = rm(r, "getheader")(r, name)
  if found == 1 then return value end
  if type(default) == "table" then return table.concat(default, ", ") end
  return default
end

-- resp:getheaders(): {{name, value}, ...} in arrival order.
function Resp:getheaders()
  local r, out = self._r, {}
  local header_at = rm(r, "header_at")
  for i = 0, rm(r, "header_count")(r) - 1 do
    local _, name, value = header_at(r, i)
    out[#out + 1] = { name, value }
  end
  return out
end

function Resp:headers()
  local list, i = self:getheaders(), 0
  return function()
    i = i + 1
    local h = list[i]
    if h then return h[1], h[2] end
  end
end

-- The generic for's closing value (Lua 5.4): leaving a loop early releases
-- the response; older Lua versions ignore a fourth value.
local function closer(self)
  return setmetatable({}, { __close = function() self:close() end })
end

-- for chunk in resp:chunks([size]): raises the error object on failure.
function Resp:chunks(size)
  args.int("chunks", 1, size, true)
  size = size or 8192
  if size <= 0 then args.error("chunks", 1, "size must be positive") end
  return function()
    local data, err = call(self, "read", size)
    if data == nil then error(err, 0) end
    if data == "" then return nil end
    return data
  end, nil, nil, closer(self)
end

-- for line in resp:lines([fmt...]): as io.lines, "l" by default.
function Resp:lines(...)
  local n, fmts = select("#", ...), { ... }
  if n == 0 then n, fmts = 1, { "l" } end
  return function()
    local v, err = self:read(unpack(fmts, 1, n))
    if v == nil and err ~= nil then error(err, 0) end
    return v
  end, nil, nil, closer(self)
end

function Resp:fileno() return rm(self._r, "fileno")(self._r) end
function Resp:close() rm(self._r, "close")(self._r) end
function Resp:isclosed() return rm(self._r, "closed")(self._r) == 1 end
function Resp:info() return self.msg end
function Resp:getcode() return self.status end

local getters = {
  closed = function(self) return rm(self._r, "closed")(self._r) == 1 end,
  length = function(self)
    local n = rm(self._r, "length")(self._r)
    if n < 0 then return nil end
    return n
  end,
  will_close = function(self) return rm(self._r, "will_close")(self._r) == 1 end,
  chunked = function(self) return rm(self._r, "chunked")(self._r) == 1 end,
  debuglevel = function(self) return rm(self._r, "debuglevel")(self._r) end,
  -- read on first use (most callers look at status only), then kept
  reason = function(self)
    local v = rm(self._r, "reason")(self._r)
    rawset(self, "reason", v)
    return v
  end,
  version = function(self)
    local v = rm(self._r, "version")(self._r)
    rawset(self, "version", v)
    return v
  end,
  msg = function(self)
    local m = message.new(self:getheaders())
    rawset(self, "msg", m)
    return m
  end,
}
getters.headers_ = getters.msg

mt.__index = function(self, k)
  local m = Resp[k]
  if m ~= nil then return m end
  local g = getters[k]
  if g then return g(self) end
  return nil
end


mt.__close = function(self) self:close() end

function M.new(r, conn)
  return setmetatable({
    _r = r, _conn = conn,
    status = rm(r, "status")(r),
  }, mt)
end

function M.is_response(v) return getmetatable(v) == mt end

function M.init(backend)
  B, OK = backend, backend.OK
  RM = {}
end

return M
