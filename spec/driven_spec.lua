-- The driven-transport hook (conn:_io + a pump from transport_for): here a
-- LuaSocket pump moves the bytes, as the nginx cosocket pump does.
local H = require "helper"
local httpc = H.httpc
local B = httpc.backend

local has_socket, socket = pcall(require, "socket")

local function socket_pump(host, port)
  local sock
  local calls = { connect = 0, write = 0, read = 0 }
  return calls, function(conn, rc)
    local c = conn._c
    if rc == B.WANT_CONNECT then
      calls.connect = calls.connect + 1
      if calls.connect > 5 then return nil, httpc.errors.RuntimeError("connect loop") end
      sock = socket.tcp()
      local ok, err = sock:connect(host, port)
      if not ok then return nil, httpc.errors.ConnectionRefusedError(err) end
      sock:settimeout(5)
      -- the transport is open: tell the engine (TLS would answer WANT_*)
      local crc = c:connect()
      if crc ~= B.OK and crc ~= B.WANT_READ and crc ~= B.WANT_WRITE then
        return nil, httpc.errors.OSError("connect refused by the engine: " .. tostring(crc))
      end
      return true
    elseif rc == B.WANT_WRITE then
      calls.write = calls.write + 1
      local out = c:output()
      local n, err = sock:send(out)
      if not n then return nil, httpc.errors.BrokenPipeError(err) end
      c:consume(n)
      return true
    else
      calls.read = calls.read + 1
      sock:settimeout(0.01)
      local data, err, partial = sock:receive(8192)
      data = data or partial
      if data and data ~= "" then c:feed(data) end
      if err == "closed" then c:feed_eof() end
      sock:settimeout(5)
      return true
    end
  end
end

describe("driven transport hook", function()
  it("runs a request, a chunked response and keep-alive through a pump", function()
    if not has_socket then pending("lua-socket not available for " .. _VERSION) return end
    local calls, pump = socket_pump(H.host, H.nginx_port)
    local conn = assert(httpc.HTTPConnection(H.host, H.nginx_port, { pump = pump }))
    assert(conn:request("POST", "/echo", { "ab", "cd" }))
    local r = assert(conn:getresponse())
    assert.equal(200, r.status)
    local head, body = H.split_echo(assert(r:read()))
    assert.matches("\r\nTransfer%-Encoding: chunked\r\n", head)
    assert.equal("abcd", body)   -- nginx decoded our chunks
    r = H.get(conn, "/chunked")
    local got = {}
    for line in r:lines() do got[#got + 1] = line end
    assert.same({ "chunk1", "chunk2", "chunk3" }, got)
    assert.equal(1, calls.connect)
    assert.is_true(calls.write >= 2 and calls.read >= 2)
  end)

  it("returns the pump's error object", function()
    local conn = assert(httpc.HTTPConnection(H.host, H.nginx_port, {
      pump = function() return nil, httpc.errors.TimeoutError("pump gave up") end }))
    local ok, err = conn:request("GET", "/")
    assert.is_nil(ok)
    assert.equal("TimeoutError: pump gave up", tostring(err))
  end)
end)
