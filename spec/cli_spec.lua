local H = require "helper"

local lua = os.getenv("HTTPC_SPEC_LUA") or "lua"

local function run(args)
  local out = os.tmpname()
  local err = os.tmpname()
  local cmd = ("%s %s/bin/httpc %s >%s 2>%s"):format(lua, H.top, args, out, err)
  local a, b, c = os.execute(cmd)
  local code = type(a) == "number" and a / 256 or (a and 0 or c)  -- 5.1 vs 5.2+
  local o, e = H.readfile(out), H.readfile(err)
  os.remove(out); os.remove(err)
  return code, o, e, b
end

describe("bin/httpc", function()
  local base = ("http://%s:%d"):format(H.host, H.nginx_port)

  it("prints the body, and the head with -i", function()
    local code, out = run(base .. "/100b")
    assert.equal(0, code)
    assert.equal(("x"):rep(99) .. "\n", out)
    code, out = run("-i " .. base .. "/parrot.spam")
    assert.equal(0, code)
    assert.matches("^HTTP/1%.1 404 Not Found\r\n", out)
    assert.matches("\r\nContent%-Type: text/html\r\n", out)
  end)

  it("sends -X, -H and -d, and traces with -v", function()
    local code, out = run("-v -X PUT -H 'X-A: 1' -d hello " .. base .. "/echo")
    assert.equal(0, code)
    assert.matches("send: b'PUT /echo HTTP/1.1", out, 1, true)
    assert.matches("\r\nX%-A: 1\r\n", out)
    assert.matches("hello$", out)
  end)

  it("streams --data-file chunked", function()
    local path = os.tmpname()
    local f = assert(io.open(path, "wb")); f:write("file body"); f:close()
    local code, out = run("--data-file " .. path .. (" http://%s:%d/echo"):format(H.host, H.raw_port))
    os.remove(path)
    assert.equal(0, code)
    assert.matches("Transfer%-Encoding: chunked", out)
    assert.matches("\r\n\r\n9\r\nfile body\r\n0\r\n\r\n$", out)
  end)

  it("verifies TLS with --cacert, refuses an unknown CA, accepts --insecure", function()
    if not H.tls_port then pending("no TLS server") return end
    local url = ("https://localhost:%d/100b"):format(H.tls_port)
    local code, out = run("--cacert " .. H.ca .. " " .. url)
    assert.equal(0, code)
    assert.equal(100, #out)
    local err
    code, out, err = run(url)
    assert.equal(1, code)
    assert.matches("^SSLCertVerificationError: ", err)
    code, out = run("--insecure " .. url)
    assert.equal(0, code)
    assert.equal(100, #out)
  end)

  it("exits 1 with 'Name: message' and keeps the partial bytes", function()
    local code, out, err = run(("http://%s:%d/truncated-cl"):format(H.host, H.raw_port))
    assert.equal(1, code)
    assert.equal("0123456789", out)
    assert.matches("^IncompleteRead: ", err)
    code, out, err = run("http://h:abc/")
    assert.equal(1, code)
    assert.matches("^InvalidURL: ", err)
  end)
end)
