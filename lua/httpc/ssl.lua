-- httpc.ssl: TLS contexts with the subset of Python's ssl.SSLContext that
-- http.client uses.  check_hostname, verify_mode and minimum_version are
-- properties; assigning a value C refuses raises the error object (an
-- assignment cannot return nil, err).
local args = require "httpc.args"
local errors = require "httpc.errors"

local M = {}
local B

local Ctx = {}
local mt = { __name = "httpc.ssl.SSLContext" }

local function fail(h) return nil, errors.from_backend(h:error()) end

local props = {
  check_hostname = {
    get = function(h) return h:get_check_hostname() == 1 end,
    set = function(h, v) return h:set_check_hostname(v and 1 or 0) end,
  },
  verify_mode = {
    get = function(h) return h:get_verify_mode() end,
    set = function(h, v)
      args.int("verify_mode", 1, v)
      return h:set_verify_mode(v)
    end,
  },
  minimum_version = {
    get = function(h) return h:get_minimum_version() end,
    set = function(h, v)
      args.int("minimum_version", 1, v)
      return h:set_minimum_version(v)
    end,
  },
}

mt.__index = function(self, k)
  local m = Ctx[k]
  if m ~= nil then return m end
  local p = props[k]
  if p then return p.get(self._h) end
  return nil
end

mt.__newindex = function(self, k, v)
  local p = props[k]
  if not p then error(("SSLContext has no property '%s'"):format(tostring(k)), 2) end
  if p.set(self._h, v) ~= B.OK then error(errors.from_backend(self._h:error()), 2) end
end

-- ctx:load_verify_locations([cafile [, capath [, cadata]]])
function Ctx:load_verify_locations(cafile, capath, cadata)
  args.check("load_verify_locations", 1, cafile, "string", "nil")
  args.check("load_verify_locations", 2, capath, "string", "nil")
  args.check("load_verify_locations", 3, cadata, "string", "nil")
  local h = self._h
  if cafile or capath then
    if h:load_verify_locations(cafile, capath) ~= B.OK then return fail(h) end
  end
  if cadata then
    if h:load_verify_data(cadata) ~= B.OK then return fail(h) end
  end
  if not (cafile or capath or cadata) then
    return nil, errors.new("ValueError", "cafile, capath and cadata cannot be all omitted")
  end
  return true
end

-- ctx:load_cert_chain(certfile [, keyfile [, password]]); password may be
-- a function returning it, as in Python.
function Ctx:load_cert_chain(certfile, keyfile, password)
  args.check("load_cert_chain", 1, certfile, "string")
  args.check("load_cert_chain", 2, keyfile, "string", "nil")
  args.check("load_cert_chain", 3, password, "string", "function", "nil")
  if type(password) == "function" then
    password = password()
    if type(password) ~= "string" then
      return nil, errors.new("ValueError", "password callback must return a string")
    end
  end
  local h = self._h
  if h:load_cert_chain(certfile, keyfile, password) ~= B.OK then return fail(h) end
  return true
end

local function wrap(h)
  if not h then return nil, errors.new("SSLError", "could not create a TLS context") end
  return setmetatable({ _h = h }, mt)
end

-- create_default_context([opts]): opts.cafile, opts.capath, opts.cadata.
function M.create_default_context(opts)
  args.check("create_default_context", 1, opts, "table", "nil")
  -- with its own anchors the context trusts only those, as Python's does
  local own = opts and (opts.cafile or opts.capath or opts.cadata)
  local ctx, err = wrap(B.tls_ctx_new(own and B.TLS_VERIFY or B.TLS_DEFAULT))
  if not ctx then return nil, err end
  if own then
    local ok, lerr = ctx:load_verify_locations(opts.cafile, opts.capath, opts.cadata)
    if not ok then return nil, lerr end
  end
  return ctx
end

function M.create_unverified_context()
  return wrap(B.tls_ctx_new(B.TLS_UNVERIFIED))
end

function M.is_context(v) return getmetatable(v) == mt end

function M.init(backend)
  B = backend
  M.CERT_NONE, M.CERT_OPTIONAL, M.CERT_REQUIRED = B.CERT_NONE, B.CERT_OPTIONAL, B.CERT_REQUIRED
  M.TLSVersion = {
    TLSv1 = B.TLS1_0, TLSv1_1 = B.TLS1_1, TLSv1_2 = B.TLS1_2, TLSv1_3 = B.TLS1_3,
    MINIMUM_SUPPORTED = B.TLS1_0, MAXIMUM_SUPPORTED = B.TLS1_3,
  }
  M.TLSv1, M.TLSv1_1, M.TLSv1_2, M.TLSv1_3 = B.TLS1_0, B.TLS1_1, B.TLS1_2, B.TLS1_3
end

return M
