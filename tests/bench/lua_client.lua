-- Lua benchmark clients (same command line and result line as the C
-- clients, see client.h):
--   lua lua_client.lua httpc|luasocket|luahttp ARGS...
-- httpc: require "httpc" on one keep-alive connection.
-- luasocket: socket.http / ssl.https request() -- it sends
--   "Connection: close", so every request opens a new connection.
-- luahttp: lua-http's http.client connection reused for every stream.
local kind = table.remove(arg, 1)
local scheme, host, port, method, path = arg[1], arg[2], tonumber(arg[3]), arg[4], arg[5]
local count, seconds, piece, body_size =
  tonumber(arg[6]), tonumber(arg[7]), tonumber(arg[8]), tonumber(arg[9])
local body = method == "POST" and string.rep("x", body_size) or nil

local clock
do
  local ok, socket = pcall(require, "socket")
  if ok then clock = socket.gettime else clock = os.clock end
end

local one
if kind == "httpc" then
  local httpc = require "httpc"
  local conn
  if scheme == "https" then
    conn = assert(httpc.HTTPSConnection(host, port,
      {context = httpc.ssl.create_unverified_context()}))
  else
    conn = assert(httpc.HTTPConnection(host, port))
  end
  local n_read = piece > 0 and piece or nil
  one = function()
    assert(conn:request(method, path, body))
    local r = assert(conn:getresponse())
    local total = 0
    if n_read then
      while true do
        local d = assert(r:read(n_read))
        if d == "" then break end
        total = total + #d
      end
    else
      total = #assert(r:read())
    end
    r:close()
    return total
  end
elseif kind == "luasocket" then
  local ltn12 = require "ltn12"
  local req = scheme == "https" and require("ssl.https") or require("socket.http")
  local url = scheme .. "://" .. host .. ":" .. port .. path
  one = function()
    local total = 0
    local parts = piece == 0 and {} or nil
    local sink = function(chunk)
      if chunk then
        total = total + #chunk
        if parts then parts[#parts + 1] = chunk end
      end
      return 1
    end
    local t = {url = url, method = method, sink = sink}
    if scheme == "https" then t.verify = "none" end
    if body then
      t.source = ltn12.source.string(body)
      t.headers = {["content-length"] = tostring(#body)}
    end
    local ok, code = req.request(t)
    assert(ok, code)
    if parts then assert(#table.concat(parts) == total) end
    return total
  end
elseif kind == "luahttp" then
  local client = require "http.client"
  local headers_mod = require "http.headers"
  local opts = {host = host, port = port, tls = scheme == "https", version = 1.1}
  if scheme == "https" then
    local ctx = require("http.tls").new_client_context()
    ctx:setVerify(require("openssl.ssl.context").VERIFY_NONE)
    opts.ctx = ctx
  end
  local conn = assert(client.connect(opts))
  local h = headers_mod.new()
  h:append(":method", method)
  h:append(":scheme", scheme)
  h:append(":authority", host .. ":" .. port)
  h:append(":path", path)
  if body then h:append("content-length", tostring(#body)) end
  one = function()
    local stream = assert(conn:new_stream())
    assert(stream:write_headers(h, body == nil))
    if body then assert(stream:write_body_from_string(body)) end
    assert(stream:get_headers())
    local total = 0
    if piece == 0 then
      total = #assert(stream:get_body_as_string())
    else
      while true do
        local d = stream:get_next_chunk()
        if not d then break end
        total = total + #d
      end
    end
    stream:shutdown()
    return total
  end
else
  error("unknown client kind " .. tostring(kind))
end

one()
local extra = body and body_size or 0
local t0 = clock()
local n, bytes = 0, 0
while n < count do
  bytes = bytes + one() + extra
  n = n + 1
  if seconds > 0 and n % 16 == 0 and clock() - t0 >= seconds then break end
end
print(string.format("requests=%d seconds=%.6f bytes=%d", n, clock() - t0, bytes))
