-- httpc: Python's http.client for Lua (CONTRACT.md §3-§4).
--   local httpc = require "httpc"
--   local conn = httpc.HTTPConnection("example.com")
--   assert(conn:request("GET", "/"))
--   local resp = assert(conn:getresponse())
local B = require "httpc.backend"
local errors = require "httpc.errors"
local status = require "httpc.status"
local connection = require "httpc.connection"
local ssl = require "httpc.ssl"
local debug_sink = require "httpc.debug"
local args = require "httpc.args"

errors.init(B)
connection.init(B)
ssl.init(B)
-- Inside nginx, connections made where cosockets exist are driven through
-- them (lua/httpc/ngx.lua) instead of blocking the worker.
if ngx and ngx.get_phase and ngx.socket then require("httpc.ngx").install(connection, B) end

local httpc = {
  _VERSION = B.version(),
  ABI_VERSION = B.abi_version(),
  HTTP_PORT = 80,
  HTTPS_PORT = 443,
  responses = status.responses,
  errors = errors.classes,
  ssl = ssl,
  backend = B,
}

for name, code in pairs(status.names) do httpc[name] = code end

-- HTTPConnection(host [, port] [, opts])
function httpc.HTTPConnection(host, port, opts)
  return connection.new("HTTPConnection", host, port, opts, nil)
end

-- HTTPSConnection(host [, port] [, opts]): opts.context, cert_file,
-- key_file, check_hostname, plus HTTPConnection's.
function httpc.HTTPSConnection(host, port, opts)
  args.check("HTTPSConnection", 1, host, "string")
  local o = opts
  if type(port) == "table" and opts == nil then o = port end
  args.check("HTTPSConnection", 3, o, "table", "nil")
  o = o or {}
  local ctx = o.context
  if ctx ~= nil and not ssl.is_context(ctx) then
    args.error("HTTPSConnection", 3, "opts.context must be an httpc.ssl context")
  end
  if ctx == nil then
    local err
    ctx, err = ssl.create_default_context()
    if not ctx then return nil, err end
  end
  if o.cert_file then
    local ok, err = ctx:load_cert_chain(o.cert_file, o.key_file)
    if not ok then return nil, err end
  end
  if o.check_hostname ~= nil then
    local ok, err = pcall(function() ctx.check_hostname = o.check_hostname end)
    if not ok then return nil, err end
  end
  return connection.new("HTTPSConnection", host, port, opts, ctx._h)
end

-- set_debug_sink(fn): where set_debuglevel traces go (fn(text); nil = io.stdout).
httpc.set_debug_sink = debug_sink.set

-- buffer(size): a buffer for resp:readinto (a backend buffer, or FFI cdata).
function httpc.buffer(size)
  args.int("buffer", 1, size)
  if B.buffer then return B.buffer(size) end
  local ffi = require "ffi"
  return ffi.new("char[?]", size)
end

-- buffer_tostring(buf, n): the first n bytes of such a buffer.
function httpc.buffer_tostring(buf, n)
  if B.buffer_tostring then return B.buffer_tostring(buf, n) end
  return buf:tostring(n)
end

function httpc.is_error(v) return errors.is_error(v) end

return httpc
