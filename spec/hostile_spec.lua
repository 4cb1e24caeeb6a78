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

-- tests/hostile/catalog.tsv: the cases tests/c/test_hostile.c runs too.
local function unescape(f)
  if f == "-" then return "" end
  return (f:gsub("\\(.)", { r = "\r", n = "\n", t = "\t" }))
end

local function catalog()
  local cases = {}
  for line in io.lines("tests/hostile/catalog.tsv") do
    if line ~= "" and line:sub(1, 1) ~= "#" then
      local f = {}
      for field in line:gmatch("[^\t]+") do f[#f + 1] = field end
      assert(#f == 6, "a catalog line has 6 fields: " .. line)
      cases[#cases + 1] = { kind = f[1], path = f[2], class = f[3], text = unescape(f[4]),
                            num = tonumber(f[5]), label = f[6] }
    end
  end
  return cases
end

local function request_fails(conn, name)
  local ok, err = conn:request("GET", "/ok")
  assert.is_nil(ok)
  assert.equal(name, err.name)
end

local check = {}

-- getresponse fails with the class; Request-sent until close(), as
-- http.client; then the same object works
function check.head(c)
  local conn = head_error(c.path, c.class)
  request_fails(conn, "CannotSendRequest")
  conn:close()
  next_ok(conn)
end

-- read() fails with the class and the bytes that came; the next request
-- on the same object works
function check.body(c)
  local conn, err = body_error(c.path)
  assert.equal(c.class, err.name)
  if c.class == "IncompleteRead" then
    assert.equal(c.text, err.partial)
    assert.equal(c.num >= 0 and c.num or nil, err.expected)
  elseif c.class == "LineTooLong" then
    assert.equal("chunk size", err.what)
  end
  next_ok(conn)
end

function check.ok(c)
  local conn = H.raw({ timeout = 5 })
  local r = H.get(conn, c.path)
  assert.equal(c.num == 1, r.will_close)
  assert.equal(c.text, r:read())
  next_ok(conn)
end

describe("hostile server", function()
  local cases = catalog()
  it("has the whole catalog", function()
    assert.is_true(#cases >= 40)
  end)
  for _, c in ipairs(cases) do
    it(c.label .. " (" .. c.path .. ")", function()
      assert.is_function(check[c.kind], "unknown case kind " .. c.kind)
      check[c.kind](c)
    end)
  end

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
