-- The example sessions of the http.client documentation, through the Lua
-- module, against the local servers (HTTPC_TEST_* from examples/demo.sh).
local httpc = require "httpc"

local host = os.getenv("HTTPC_TEST_HOST")
local port = tonumber(os.getenv("HTTPC_TEST_NGINX_PORT"))
local tls_port = tonumber(os.getenv("HTTPC_TEST_TLS_PORT"))
local raw_port = tonumber(os.getenv("HTTPC_TEST_RAW_PORT"))

local function show(s)
  local q = ("%q"):format(s):gsub("\\\n", "\\n")
  print(q)
end
local function status(r) print(r.status .. " " .. r.reason) end

print("-- GET over HTTPS (our test CA)")
local ctx = assert(httpc.ssl.create_default_context({ cafile = os.getenv("HTTPC_TEST_CA") }))
local conn = assert(httpc.HTTPSConnection("localhost", tls_port, { context = ctx }))
assert(conn:request("GET", "/"))
local r1 = assert(conn:getresponse())
status(r1)
local data1 = assert(r1:read())      -- the entire content
print(#data1 .. " bytes")

print("-- reading in 200-byte pieces while not closed")
assert(conn:request("GET", "/"))
r1 = assert(conn:getresponse())
local n = 0
while not r1.closed do
  local piece = assert(r1:read(200))
  n = n + 1
  if n <= 2 then show(piece:sub(1, 40) .. "...") end
end
print(n .. " pieces")

print("-- an invalid request")
assert(conn:request("GET", "/parrot.spam"))
local r2 = assert(conn:getresponse())
status(r2)
assert(r2:read())
conn:close()

print("-- HEAD")
conn = assert(httpc.HTTPConnection(host, port))
assert(conn:request("HEAD", "/"))
local res = assert(conn:getresponse())
status(res)
local data = assert(res:read())
print(#data)
print(data == "")

print("-- POST a form")
local params = "%40number=12524&%40type=issue&%40action=show"
local headers = { ["Content-type"] = "application/x-www-form-urlencoded", ["Accept"] = "text/plain" }
assert(conn:request("POST", "/form", params, headers))
local response = assert(conn:getresponse())
status(response)
show(assert(response:read()))
conn:close()

print("-- PUT")
local BODY = "***filecontents***"
conn = assert(httpc.HTTPConnection(host, port))
assert(conn:request("PUT", "/file", BODY))
response = assert(conn:getresponse())
status(response)
show(assert(response:read()))

print("-- a typed error: the server promises 100 bytes and sends 10")
conn = assert(httpc.HTTPConnection(host, raw_port))
assert(conn:request("GET", "/truncated-cl"))
local r = assert(conn:getresponse())
local body, err = r:read()
print(body, tostring(err))
print("err:is('HTTPException')", err:is("HTTPException"), "partial", ("%q"):format(err.partial),
      "expected", err.expected)
