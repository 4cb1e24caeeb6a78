local H = require "helper"
local httpc = H.httpc

describe("HTTPResponse", function()
  it("reads in 200-byte pieces until closed", function()
    local conn = H.nginx()
    local r = H.get(conn, "/index.html")
    local parts = {}
    while not r.closed do parts[#parts + 1] = assert(r:read(200)) end
    assert.equal(200, #parts[1])
    assert.matches("^<!doctype html>", parts[1])
    assert.equal(H.readfile(H.docroot .. "/index.html"), table.concat(parts))
    assert.equal("", r:read())
    assert.equal("", r:read(10))
  end)

  it("has status, reason, version, length, will_close, msg and headers", function()
    local conn = H.raw()
    local r = H.get(conn, "/repeated")
    assert.equal(200, r.status)
    assert.equal(11, r.version)
    assert.equal(0, r.length)
    assert.is_false(r.will_close)
    assert.equal("a=1, b=2; Path=/", r:getheader("set-cookie"))
    assert.equal("one, two", r:getheader("X-MULTI"))
    assert.is_nil(r:getheader("missing"))
    assert.equal("d", r:getheader("missing", "d"))
    assert.equal("a, b", r:getheader("missing", { "a", "b" }))
    local list = r:getheaders()
    local names = {}
    for i, h in ipairs(list) do names[i] = h[1] end
    assert.same({ "Set-Cookie", "X-Multi", "Set-Cookie", "X-Multi" },
      { names[1], names[2], names[3], names[4] })
    local n = 0
    for name, value in r:headers() do
      n = n + 1
      assert.equal(list[n][1], name)
      assert.equal(list[n][2], value)
    end
    assert.equal(#list, n)
    local msg = r.msg
    assert.equal("a=1", msg:get("SET-COOKIE"))
    assert.equal("a=1", msg["set-cookie"])
    assert.same({ "a=1", "b=2; Path=/" }, msg:get_all("Set-Cookie"))
    assert.same({}, msg:get_all("nope"))
    assert.equal("x", msg:get("nope", "x"))
    assert.equal(#list, msg:len())
    assert.equal(#list, #msg:keys())
    assert.equal("one", msg:values()[2])
    assert.same({ "X-Multi", "two" }, msg:items()[4])
    assert.equal(msg, r:info())
    if H.has_meta_len then
      assert.equal(#list, #msg)
      local k = 0
      for name, value in pairs(msg) do
        k = k + 1
        assert.equal(list[k][1], name)
        assert.equal(list[k][2], value)
      end
      assert.equal(#list, k)
    end
    assert.equal("", r:read())
  end)

  it("reads a chunked response and its trailers away", function()
    local conn = H.nginx()
    local r = H.get(conn, "/chunked")
    assert.is_true(r.chunked)
    assert.is_nil(r.length)
    assert.equal("chunk1\nchunk2\nchunk3\n", r:read())
    local raw = H.raw()
    r = H.get(raw, "/chunked-trailers")
    assert.equal("hello world", r:read())
    r = H.get(raw, "/ok")
    assert.equal("hello", r:read())
  end)

  it("takes the file:read formats", function()
    local conn = H.raw()
    local body = "12 0x1F\nline two\r\nlast"
    assert(conn:request("POST", "/echo", body, { { "Host", "h" } }))
    local r = assert(conn:getresponse())
    assert.equal("POST /echo HTTP/1.1\r", r:read("l"))
    repeat local l = r:read("*l") until l == "\r"
    assert.equal(12, r:read("n"))
    assert.equal(31, r:read("*n"))
    assert.equal("\n", r:read(1))
    assert.equal("line two\r\n", r:read("L"))
    assert.equal("la", r:read(2))
    local a, b = r:read(1, "a")
    assert.equal("s", a)
    assert.equal("t", b)
    assert.is_nil(r:read("l"))
    assert.equal("", r:read("a"))
    assert.error_matches(function() r:read("x") end, "bad argument #1 to 'read' %(invalid format%)")
    assert.error_matches(function() r:read(true) end, "bad argument #1 to 'read'")
  end)

  it("has readline, peek, read1 and readinto", function()
    local conn = H.nginx()
    local r = H.get(conn, "/100b")
    local p = assert(r:peek(5))
    assert.is_true(#p >= 1)
    assert.equal((("x"):rep(99) .. "\n"):sub(1, #p), p)
    assert.equal("xxx", r:readline(3))
    local one = assert(r:read1(10))
    assert.is_true(#one >= 1 and #one <= 10)
    local buf = httpc.buffer(64)
    local n = assert(r:readinto(buf, 64))
    assert.equal(64, n)
    assert.equal(("x"):rep(64), httpc.buffer_tostring(buf, 64))
    local rest = assert(r:readline())
    assert.equal(100 - 3 - #one - 64, #rest)
    assert.equal("\n", rest:sub(-1))
    assert.equal(0, r:readinto(buf, 64))
    assert.equal("", r:readline())
    assert.equal("", r:read1())
  end)

  it("iterates chunks and lines", function()
    local conn = H.nginx()
    local r = H.get(conn, "/1m")
    local total, count = {}, 0
    for chunk in r:chunks(65536) do
      count = count + 1
      total[#total + 1] = chunk
    end
    assert.equal(16, count)
    assert.is_true(table.concat(total) == H.readfile(H.docroot .. "/1m"))
    r = H.get(conn, "/chunked")
    local lines = {}
    for line in r:lines() do lines[#lines + 1] = line end
    assert.same({ "chunk1", "chunk2", "chunk3" }, lines)
  end)

  it("raises the error object from iterators", function()
    local conn = H.raw()
    local r = H.get(conn, "/truncated-cl")
    local got = {}
    local ok, err = pcall(function()
      for chunk in r:chunks(4) do got[#got + 1] = chunk end
    end)
    assert.is_false(ok)
    assert.equal("IncompleteRead", err.name)
    assert.equal("0123456789", table.concat(got) .. err.partial)
  end)

  it("returns IncompleteRead with the partial bytes", function()
    local conn = H.raw()
    local r = H.get(conn, "/truncated-cl")
    local data, err = r:read()
    assert.is_nil(data)
    assert.equal("IncompleteRead", err.name)
    assert.equal("0123456789", err.partial)
    assert.equal(90, err.expected)
    assert.matches("^IncompleteRead: ", tostring(err))
    r = H.get(conn, "/truncated-chunked")
    data, err = r:read()
    assert.is_nil(data)
    assert.equal("IncompleteRead", err.name)
    assert.equal("hello", err.partial)
    assert.is_nil(err.expected)
  end)

  it("reports LineTooLong, too many headers, bad status lines", function()
    local conn = H.raw()
    assert(conn:request("GET", "/long-header"))
    local r, err = conn:getresponse()
    assert.is_nil(r)
    assert.equal("LineTooLong", err.name)
    assert.equal("header line", err.what)
    conn:close()  -- as http.client, a failed getresponse leaves Request-sent
    assert(conn:request("GET", "/long-status"))
    r, err = conn:getresponse()
    assert.equal("LineTooLong", err.name)
    assert.equal("status line", err.what)
    conn:close()  -- as http.client, a failed getresponse leaves Request-sent
    assert(conn:request("GET", "/many-headers"))
    r, err = conn:getresponse()
    assert.equal("HTTPException", err.name)
    assert.matches("got more than 100 headers", err.message)
    conn:close()  -- as http.client, a failed getresponse leaves Request-sent
    assert(conn:request("GET", "/bad-status"))
    r, err = conn:getresponse()
    assert.equal("BadStatusLine", err.name)
    assert.matches("ICY 200 OK", err.line, 1, true)
    conn:close()  -- as http.client, a failed getresponse leaves Request-sent
    assert(conn:request("GET", "/bad-chunk-size"))
    r = assert(conn:getresponse())
    local data
    data, err = r:read()
    assert.is_nil(data)
    assert.is_true(err:is("HTTPException"))
  end)

  it("reports RemoteDisconnected, a BadStatusLine and a ConnectionResetError", function()
    local conn = H.raw()
    assert(conn:request("GET", "/close-no-response"))
    local r, err = conn:getresponse()
    assert.is_nil(r)
    assert.equal("RemoteDisconnected", err.name)
    assert.is_true(err:is("BadStatusLine"))
    assert.is_true(err:is("ConnectionResetError"))
    assert.is_true(err:is(httpc.errors.OSError))
    r = H.get(conn, "/ok")   -- reconnects
    assert.equal("hello", r:read())
  end)

  it("reads an HTTP/1.0 body until close", function()
    local conn = H.raw()
    local r = H.get(conn, "/http10")
    assert.equal(10, r.version)
    assert.is_true(r.will_close)
    assert.is_string(r:read())
    assert.is_true(r.closed)
  end)

  it("survives collecting the connection before its response", function()
    local conn = H.nginx()
    local r = H.get(conn, "/1m")
    conn = nil  -- luacheck: ignore
    collectgarbage(); collectgarbage()
    local data = assert(r:read())
    assert.equal(1048576, #data)
    r:close()
    assert.is_true(r.closed)
    assert.equal("", r:read())
  end)

  it("closes responses with <close> and on breaking out of a loop (5.4)", function()
    if not H.has_close then pending("needs Lua 5.4") return end
    local conn = H.nginx()
    H.run54([[
      local H, conn = ...
      do
        local r <close> = H.get(conn, "/1m")
        H.r1 = r
      end
      local r2 = H.get(conn, "/1m")
      H.r2 = r2
      for chunk in r2:chunks(1000) do break end
    ]], H, conn)
    assert.is_true(H.r1.closed)
    assert.is_true(H.r2.closed)
    assert.equal("", H.r2:read())
  end)
end)
