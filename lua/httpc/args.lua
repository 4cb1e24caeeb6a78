-- Argument *type* checks that raise the way luaL_argerror does, so a Lua
-- caller sees "bad argument #2 to 'request' (string expected, got nil)".
-- Methods count arguments after self, as the C API does for methods.
local M = {}

local function typename(v)
  local mt = getmetatable(v)
  if type(mt) == "table" and type(mt.__name) == "string" then return mt.__name end
  return type(v)
end
M.typename = typename

-- Raises at the level of the caller of the function that called us.
function M.error(fname, n, msg)
  error(("bad argument #%d to '%s' (%s)"):format(n, fname, msg), 3)
end

local function fail(fname, n, expected, v)
  error(("bad argument #%d to '%s' (%s expected, got %s)")
    :format(n, fname, expected, typename(v)), 4)
end

-- check(fname, n, value, "string", "number", "nil", ...): value's type must
-- be one of the listed ones ("nil" makes the argument optional).
function M.check(fname, n, v, ...)
  local t = type(v)
  for i = 1, select("#", ...) do
    if t == (select(i, ...)) then return v end
  end
  local expected = table.concat({ ... }, " or "):gsub(" or nil$", ""):gsub("^nil or ", "")
  fail(fname, n, expected, v)
end

-- An integer-valued number (Lua 5.1 has no integer subtype).
function M.int(fname, n, v, optional)
  if v == nil and optional then return nil end
  if type(v) ~= "number" then fail(fname, n, "number", v) end
  if v ~= math.floor(v) or v ~= v then
    error(("bad argument #%d to '%s' (number has no integer representation)"):format(n, fname), 3)
  end
  return v
end

return M
