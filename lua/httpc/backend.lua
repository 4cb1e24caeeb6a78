-- Picks the backend (bindings/BACKEND.md): the SWIG module httpc.core, or
-- on LuaJIT the FFI backend httpc.ffi when the SWIG module is absent.
-- HTTPC_BACKEND=core|ffi forces one.
local forced = os.getenv("HTTPC_BACKEND")

local function load(name)
  local ok, mod = pcall(require, "httpc." .. name)
  if ok then return mod end
  return nil, mod
end

if forced and forced ~= "" then
  local B, err = load(forced)
  if not B then error("httpc: backend '" .. forced .. "' failed to load: " .. tostring(err), 2) end
  return B
end

local B, err = load("core")
if B then return B end
if jit then
  local F, ferr = load("ffi")
  if F then return F end
  err = err .. "\n" .. tostring(ferr)
end
error("httpc: no backend could be loaded (is LUA_CPATH set? see `make env`):\n" .. tostring(err), 2)
