-- Error objects (CONTRACT.md §4).  The class tree is not written down here:
-- it is read from the C library (B.code_name / B.code_parent over every
-- error code), so the Lua module, the Python binding and the C ABI can never
-- disagree about which class descends from which.
local M = {}

local Class = {}
Class.__index = Class
Class.__tostring = function(c) return "httpc.errors." .. c.name end

local Err = {}
Err.__index = Err
Err.__name = "httpc.error"
Err.__tostring = function(e) return e.name .. ": " .. e.message end

local classes = {}   -- name -> class
local by_code = {}   -- code -> class
M.classes = classes

local function descends(cls, target)
  if cls == target then return true end
  for _, p in ipairs(cls.parents) do
    if descends(p, target) then return true end
  end
  return false
end

local function class_of(x)
  if type(x) == "string" then return classes[x] end
  if getmetatable(x) == Class then return x end
  if getmetatable(x) == Err then return x.class end
  return nil
end

-- cls:is(other) / err:is(other): other is a class, a class name or an error.
function Class:is(x)
  local target = class_of(x)
  return target ~= nil and descends(self, target)
end

function Err:is(x)
  local target = class_of(x)
  return target ~= nil and descends(self.class, target)
end

-- A new error of a class, with optional extras: errors.new("OSError", msg, {errno = 2}).
function M.new(name, message, extras)
  local cls = classes[name] or classes.HTTPException
  local e = setmetatable({ name = cls.name, class = cls, code = cls.code,
                           message = message or "" }, Err)
  if extras then for k, v in pairs(extras) do e[k] = v end end
  return e
end

-- Calling a class makes an error of it: httpc.errors.ValueError("bad").
Class.__call = function(cls, message, extras) return M.new(cls.name, message, extras) end

function M.is_error(v) return getmetatable(v) == Err end

-- Copies the handle's (borrowed) error into a Lua object, with the extras
-- its class carries.
function M.from_backend(e)
  local code = e:code()
  local cls = by_code[code]
  if not cls then
    return M.new("HTTPException", ("unexpected status %s (%s)"):format(tostring(code), e:message()))
  end
  local err = M.new(cls.name, e:message())
  if cls:is("IncompleteRead") then
    err.partial = e:partial()
    local x = e:expected()
    if x and x >= 0 then err.expected = x end
  end
  if cls:is("BadStatusLine") or cls:is("UnknownProtocol") then err.line = e:line() end
  if cls:is("LineTooLong") then err.what = e:what() end
  if cls:is("OSError") then
    local n = e:errno()
    if n and n ~= 0 then err.errno = n end
  end
  if cls:is("SSLError") then
    local r = e:reason()
    if r and r ~= "" then err.reason = r end
  end
  return err
end

-- Builds the classes from the backend's exported tree (once per process).
function M.init(B)
  if next(by_code) then return classes end
  for code = B.E_HTTPEXCEPTION, B.E_LAST do
    local name = B.code_name(code)
    if name then
      local cls = setmetatable({ name = name, code = code, parents = {} }, Class)
      classes[name] = cls
      by_code[code] = cls
    end
  end
  for code, cls in pairs(by_code) do
    local n = 0
    while true do
      local p = B.code_parent(code, n)
      if not p or p == 0 then break end
      cls.parents[#cls.parents + 1] = assert(by_code[p], "unknown parent code")
      n = n + 1
    end
  end
  return classes
end

return M
