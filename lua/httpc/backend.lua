-- Picks the backend (bindings/BACKEND.md): on LuaJIT the FFI backend
-- httpc.ffi when libhttpc.so is found, else the SWIG module httpc.core.
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

local B, err
if jit then
  B, err = load("ffi")
  if B then return B end
end
local C, cerr = load("core")
if C then return C end
err = (err and err .. "\n" or "") .. tostring(cerr)
error("httpc: no backend could be loaded (is LUA_CPATH set? see `make env`):\n" .. tostring(err), 2)
