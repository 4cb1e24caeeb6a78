local H = require "helper"
local httpc = H.httpc

describe("httpc module", function()
  it("has the constants of the contract", function()
    assert.equal(80, httpc.HTTP_PORT)
    assert.equal(443, httpc.HTTPS_PORT)
    assert.equal(200, httpc.OK)
    assert.equal(404, httpc.NOT_FOUND)
    assert.equal(418, httpc.IM_A_TEAPOT)
    assert.equal(511, httpc.NETWORK_AUTHENTICATION_REQUIRED)
    assert.equal("Not Found", httpc.responses[404])
    assert.equal("Found", httpc.responses[httpc.FOUND])
    assert.matches("^%d+%.%d+%.%d+", httpc._VERSION)
  end)

  it("builds every error class of the contract from the C tree", function()
    local tree = {
      HTTPException = {}, NotConnected = { "HTTPException" }, InvalidURL = { "HTTPException" },
      UnknownProtocol = { "HTTPException" }, UnknownTransferEncoding = { "HTTPException" },
      UnimplementedFileMode = { "HTTPException" }, IncompleteRead = { "HTTPException" },
      ImproperConnectionState = { "HTTPException" },
      CannotSendRequest = { "ImproperConnectionState", "HTTPException" },
      CannotSendHeader = { "ImproperConnectionState", "HTTPException" },
      ResponseNotReady = { "ImproperConnectionState", "HTTPException" },
      BadStatusLine = { "HTTPException" },
      RemoteDisconnected = { "BadStatusLine", "HTTPException", "ConnectionResetError",
                             "ConnectionError", "OSError" },
      LineTooLong = { "HTTPException" },
      OSError = {}, ConnectionError = { "OSError" },
      ConnectionRefusedError = { "ConnectionError", "OSError" },
      ConnectionResetError = { "ConnectionError", "OSError" },
      ConnectionAbortedError = { "ConnectionError", "OSError" },
      BrokenPipeError = { "ConnectionError", "OSError" },
      TimeoutError = { "OSError" }, NameResolutionError = { "OSError" },
      SSLError = { "OSError" }, SSLCertVerificationError = { "SSLError", "OSError" },
      ValueError = {}, RuntimeError = {},
    }
    for name, ancestors in pairs(tree) do
      local cls = httpc.errors[name]
      assert.is_table(cls, name)
      assert.equal(name, cls.name)
      local e = cls("m")
      assert.is_true(e:is(name))
      assert.is_true(e:is(cls))
      for _, a in ipairs(ancestors) do
        assert.is_true(e:is(a), name .. " is " .. a)
        assert.is_true(e:is(httpc.errors[a]))
      end
      if name ~= "HTTPException" and not e:is("OSError") or name == "ValueError" then
        assert.is_false(e:is("OSError"), name)
      end
    end
    assert.is_false(httpc.errors.IncompleteRead("x"):is("BadStatusLine"))
    assert.is_false(httpc.errors.ValueError("x"):is("HTTPException"))
  end)

  it("formats errors as 'Name: message' with a code", function()
    local e = httpc.errors.InvalidURL("nonnumeric port: 'x'")
    assert.equal("InvalidURL: nonnumeric port: 'x'", tostring(e))
    assert.equal("InvalidURL", e.name)
    assert.equal("nonnumeric port: 'x'", e.message)
    assert.equal(httpc.backend.E_INVALIDURL, e.code)
    assert.is_true(httpc.is_error(e))
  end)

  it("returns nil, InvalidURL from a constructor with a bad port", function()
    local conn, err = httpc.HTTPConnection("h:abc")
    assert.is_nil(conn)
    assert.equal("InvalidURL", err.name)
    assert.is_true(err:is("HTTPException"))
    local c2, err2 = httpc.HTTPSConnection("h:x1")
    assert.is_nil(c2)
    assert.equal("InvalidURL", err2.name)
  end)

  it("raises luaL_argerror-style errors for wrong argument types", function()
    local conn = H.nginx()
    assert.error_matches(function() conn:request("GET") end,
      "bad argument #2 to 'request' %(string expected, got nil%)")
    assert.error_matches(function() conn:request(1, "/") end,
      "bad argument #1 to 'request' %(string expected, got number%)")
    assert.error_matches(function() conn:request("GET", "/", true) end,
      "bad argument #3 to 'request'")
    assert.error_matches(function() conn:request("GET", "/", nil, "x") end,
      "bad argument #4 to 'request' %(table expected, got string%)")
    assert.error_matches(function() conn:request("GET", "/", nil, { X = true }) end,
      "bad argument #4 to 'request'")
    assert.error_matches(function() httpc.HTTPConnection(nil) end,
      "bad argument #1 to 'HTTPConnection' %(string expected, got nil%)")
    assert.error_matches(function() httpc.HTTPConnection("h", 1.5) end,
      "bad argument #2 to 'HTTPConnection'")
    assert.error_matches(function() conn:set_debuglevel("x") end, "bad argument #1 to 'set_debuglevel'")
    assert.error_matches(function() conn:putheader(nil, "v") end, "bad argument #1 to 'putheader'")
    -- nothing was staged by the refused calls: the next request works
    local r = H.get(conn, "/100b")
    assert.equal(200, r.status)
    conn:close()
  end)

  it("exposes conn.host, conn.port and conn.timeout", function()
    local conn = assert(httpc.HTTPConnection("example.invalid:8080", { timeout = 2.5 }))
    assert.equal("example.invalid", conn.host)
    assert.equal(8080, conn.port)
    assert.equal(2.5, conn.timeout)
    conn.timeout = 1
    assert.equal(1, conn.timeout)
    local c2 = assert(httpc.HTTPConnection("[::1]"))
    assert.equal("::1", c2.host)
    assert.equal(80, c2.port)
    assert.is_nil(c2.timeout)
    local c3 = assert(httpc.HTTPSConnection("example.invalid"))
    assert.equal(443, c3.port)
  end)
end)
