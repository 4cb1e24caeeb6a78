-- The hostile-server catalog (docs/SECURITY.md) seen from Lua: the same
-- raw-server scenarios as tests/c/test_hostile.c give the same error
-- classes and extras through the module, and the connection carries on.
local H = require "helper"

local function head_error(path, name)
  local conn = H.raw({ timeout = 5 })
  assert(conn:request("GET", path))
  local r, err = conn:getresponse()
  assert.is_nil(r)
  assert.equal(name, err.name)
  return conn, err
end

local function body_error(path)
  local conn = H.raw({ timeout = 5 })
  local r = H.get(conn, path)
  local data, err = r:read()
  assert.is_nil(data)
  return conn, err
end

local function next_ok(conn)
  local r = H.get(conn, "/ok")
  assert.equal("hello", r:read())
end

describe("hostile server", function()
  it("refuses conflicting Content-Length, then works after close()", function()
    for _, path in ipairs({ "/cl-twice", "/cl-list", "/cl-value/plus", "/cl-value/over63" }) do
      local conn = head_error(path, "HTTPException")
      conn:close()
      next_ok(conn)
    end
  end)

  it("lets chunked win over Content-Length and does not reuse the connection", function()
    local conn = H.raw()
    local r = H.get(conn, "/cl-and-te")
    assert.is_true(r.will_close)
    assert.equal("hello", r:read())
    next_ok(conn)
  end)

  it("gives IncompleteRead with the partial bytes for bad chunk sizes", function()
    for _, name in ipairs({ "sign", "0x", "junk", "17digits", "bare-cr" }) do
      local conn, err = body_error("/chunk-size/" .. name)
      assert.equal("IncompleteRead", err.name)
      assert.equal("hello", err.partial)
      assert.is_true(err:is("HTTPException"))
      next_ok(conn)
    end
  end)

  it("gives LineTooLong 'chunk size' for a 70000-byte extension", function()
    local conn, err = body_error("/chunk-ext-long")
    assert.equal("LineTooLong", err.name)
    assert.equal("chunk size", err.what)
    next_ok(conn)
  end)

  it("types broken heads", function()
    for path, name in pairs({
      ["/hdr-nul"] = "HTTPException", ["/hdr-obs-fold"] = "HTTPException",
      ["/hdr-space-colon"] = "HTTPException", ["/huge-head"] = "HTTPException",
      ["/endless-interim"] = "HTTPException", ["/long-header"] = "LineTooLong",
      ["/bad-status"] = "BadStatusLine", ["/http2"] = "UnknownProtocol",
      ["/status-4digit"] = "BadStatusLine", ["/http09"] = "BadStatusLine",
    }) do
      local conn = head_error(path, name)
      conn:close()
      next_ok(conn)
    end
  end)

  it("reads a 9e18 Content-Length cut short as IncompleteRead", function()
    local conn, err = body_error("/giant-cl")
    assert.equal("IncompleteRead", err.name)
    assert.equal(string.rep("z", 1000), err.partial)
    assert.equal(9000000000000000000 - 1000, err.expected)
    next_ok(conn)
  end)

  it("keeps bytes after a 204 out of its body", function()
    local conn = H.raw()
    local r = H.get(conn, "/204-body")
    assert.equal("", r:read())
    assert(conn:request("GET", "/ok"))
    local r2, err = conn:getresponse()
    assert.is_nil(r2)
    assert.equal("BadStatusLine", err.name)
    conn:close()
    next_ok(conn)
  end)

  it("times out a slow drip within the deadline", function()
    local conn = H.raw({ timeout = 0.5 })
    local t0 = os.time()
    assert(conn:request("GET", "/slow?interval=1"))
    local r, err = conn:getresponse()
    assert.is_nil(r)
    assert.equal("TimeoutError", err.name)
    assert.is_true(os.time() - t0 <= 2)
  end)

  it("refuses CR LF injection before sending anything", function()
    local conn = H.raw()
    next_ok(conn)
    local ok, err = conn:request("GET", "/ok\r\nX-Evil: 1")
    assert.is_nil(ok)
    assert.equal("InvalidURL", err.name)
    ok, err = conn:request("GET", "/ok", nil, { ["X-A"] = "a\r\n\tb" })
    assert.is_nil(ok)
    assert.equal("ValueError", err.name)
    ok, err = conn:request("GET\r\n", "/ok")
    assert.is_nil(ok)
    assert.equal("ValueError", err.name)
    local r = H.get(conn, "/echo/2")
    local body = r:read()
    assert.equal("GET /echo/2 HTTP/1.1\r\n", body:sub(1, 22))
    assert.is_nil(body:find("Evil", 1, true))
  end)
end)
