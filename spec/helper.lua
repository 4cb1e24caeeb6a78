-- Shared by the specs: the module, the test servers' addresses
-- (tests/servers/README.md) and small helpers.
local H = {}

H.httpc = require "httpc"
H.host = os.getenv("HTTPC_TEST_HOST") or "127.0.0.1"
local function port(name)
  local v = os.getenv("HTTPC_TEST_" .. name)
  return v and tonumber(v)
end
H.nginx_port = port("NGINX_PORT")
H.raw_port = port("RAW_PORT")
H.tls_port = port("TLS_PORT")
H.proxy_port = port("PROXY_PORT")
H.ca = os.getenv("HTTPC_TEST_CA")
H.docroot = os.getenv("HTTPC_TEST_DOCROOT")
H.top = os.getenv("HTTPC_SPEC_TOP") or "."
H.env = function(name) return os.getenv("HTTPC_TEST_" .. name) end
assert(H.nginx_port and H.raw_port, "HTTPC_TEST_* not set: run through tests/run.sh or source env.sh")

-- "5.1" .. "5.4"; LuaJIT reports 5.1.
H.lua = _VERSION:match("%d+%.%d+")
H.has_meta_len = H.lua ~= "5.1"
H.has_close = H.lua == "5.4"

function H.nginx(opts) return assert(H.httpc.HTTPConnection(H.host, H.nginx_port, opts)) end
function H.raw(opts) return assert(H.httpc.HTTPConnection(H.host, H.raw_port, opts)) end

function H.get(conn, url, method, body, headers)
  assert(conn:request(method or "GET", url, body, headers))
  return assert(conn:getresponse())
end

function H.readfile(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

-- Splits an /echo body into head and body.
function H.split_echo(s)
  local i = assert(s:find("\r\n\r\n", 1, true), "no end of head in echo")
  return s:sub(1, i + 3), s:sub(i + 4)
end

-- Runs Lua 5.4-only source (e.g. <close>) without breaking older parsers.
function H.run54(src, ...)
  local f = assert((loadstring or load)(src, "=54chunk"))
  return f(...)
end

return H
