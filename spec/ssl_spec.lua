local H = require "helper"
local httpc = H.httpc
local ssl = httpc.ssl

local function tls(port, ctx, host)
  local conn = assert(httpc.HTTPSConnection(host or "localhost", port, { context = ctx, timeout = 5 }))
  local ok, err = conn:request("GET", "/100b")
  if not ok then return nil, err end
  local r
  r, err = conn:getresponse()
  if not r then return nil, err end
  return r
end

describe("httpc.ssl", function()
  if not H.tls_port then return end

  it("verifies with create_default_context{cafile}", function()
    local ctx = assert(ssl.create_default_context({ cafile = H.ca }))
    assert.is_true(ctx.check_hostname)
    assert.equal(ssl.CERT_REQUIRED, ctx.verify_mode)
    assert.equal(ssl.TLSVersion.TLSv1_2, ctx.minimum_version)
    local r = assert(tls(H.tls_port, ctx))
    assert.equal(200, r.status)
    assert.equal(100, #r:read())
    ctx = assert(ssl.create_default_context({ cadata = H.readfile(H.ca) }))
    assert.equal(200, assert(tls(H.tls_port, ctx)).status)
  end)

  it("fails verification with typed errors", function()
    local ctx = assert(ssl.create_default_context({ cafile = H.ca }))
    local r, err = tls(tonumber(H.env("TLS_UNKNOWNCA_PORT")), ctx)
    assert.is_nil(r)
    assert.equal("SSLCertVerificationError", err.name)
    assert.is_true(err:is("SSLError") and err:is("OSError"))
    r, err = tls(tonumber(H.env("TLS_WRONGHOST_PORT")), ctx)
    assert.equal("SSLCertVerificationError", err.name)
    r, err = tls(tonumber(H.env("TLS_EXPIRED_PORT")), ctx)
    assert.equal("SSLCertVerificationError", err.name)
    assert.matches("expired", err.reason or err.message)
    r, err = tls(H.tls_port, assert(ssl.create_default_context()))
    assert.equal("SSLCertVerificationError", err.name)
  end)

  it("has the Python property rules and create_unverified_context", function()
    local ctx = assert(ssl.create_default_context())
    assert.has_error(function() ctx.verify_mode = ssl.CERT_NONE end)
    local ok, err = pcall(function() ctx.verify_mode = ssl.CERT_NONE end)
    assert.is_false(ok)
    assert.equal("ValueError", err.name)
    ctx.check_hostname = false
    ctx.verify_mode = ssl.CERT_NONE
    assert.equal(ssl.CERT_NONE, ctx.verify_mode)
    ctx.check_hostname = true
    assert.equal(ssl.CERT_REQUIRED, ctx.verify_mode)
    local u = assert(ssl.create_unverified_context())
    assert.is_false(u.check_hostname)
    assert.equal(ssl.CERT_NONE, u.verify_mode)
    assert.equal(200, assert(tls(tonumber(H.env("TLS_UNKNOWNCA_PORT")), u)).status)
    assert.error_matches(function() ctx.minimum_version = "x" end, "bad argument")
  end)

  it("refuses old protocols at the default minimum version", function()
    local ctx = assert(ssl.create_default_context({ cafile = H.ca }))
    local r, err = tls(tonumber(H.env("TLS_OLD_PORT")), ctx)
    assert.is_nil(r)
    assert.is_true(err:is("SSLError"))
  end)

  it("presents a client certificate (load_cert_chain, cert_file)", function()
    local port = tonumber(H.env("TLS_CLIENTCERT_PORT"))
    local ctx = assert(ssl.create_default_context({ cafile = H.ca }))
    assert.equal(400, assert(tls(port, ctx)).status)
    assert(ctx:load_cert_chain(H.env("CLIENT_CERT"), H.env("CLIENT_KEY_ENC"),
      function() return H.env("CLIENT_KEY_PASS") end))
    local conn = assert(httpc.HTTPSConnection("localhost", port, { context = ctx }))
    assert(conn:request("GET", "/whoami"))
    assert.equal("CN=httpc test client,O=httpc tests\n", assert(conn:getresponse()):read())
    local c2 = assert(ssl.create_default_context({ cafile = H.ca }))
    conn = assert(httpc.HTTPSConnection("localhost", port, { context = c2,
      cert_file = H.env("CLIENT_CERT"), key_file = H.env("CLIENT_KEY") }))
    assert(conn:request("GET", "/whoami"))
    assert.matches("^CN=httpc test client", assert(conn:getresponse()):read())
    local ok, err = ctx:load_cert_chain("/nonexistent.pem")
    assert.is_nil(ok)
    assert.is_true(err:is("OSError"))
    ok, err = ctx:load_verify_locations()
    assert.is_nil(ok)
    assert.equal("ValueError", err.name)
  end)
end)
