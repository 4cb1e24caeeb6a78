-- Request bodies: which kind a Lua value is, and how its pieces reach the C
-- library.  Framing (Content-Length or chunked, the last chunk) is decided
-- and written by C; this file only turns strings, files, iterators and
-- arrays into a sequence of strings.
local args = require "httpc.args"
local errors = require "httpc.errors"

local M = {}

local function is_file(v)
  local t = type(v)
  if t ~= "userdata" and t ~= "table" then return false end
  local ok, read = pcall(function() return v.read end)
  return ok and type(read) == "function"
end

-- kind(v) -> "none" | "bytes" | "file" | "iterator" | "array" | nil
function M.kind(v)
  local t = type(v)
  if v == nil then return "none" end
  if t == "string" then return "bytes" end
  if t == "function" then return "iterator" end
  if is_file(v) then return "file" end
  if t == "table" then return "array" end
  return nil
end

-- Checks a body argument's type (raising like luaL_argerror).
function M.check(fname, n, v)
  local k = M.kind(v)
  if not k then
    args.error(fname, n, "string, file, function or table expected, got " .. args.typename(v))
  end
  return k
end

local function piece_error(fname, v)
  error(("bad body piece in '%s' (string expected, got %s)"):format(fname, args.typename(v)), 4)
end

-- each(v, kind, blocksize, fname, write): calls write(piece) for every
-- non-empty piece.  Returns true, or nil, err (a read error or write's error).
function M.each(v, kind, blocksize, fname, write)
  local function put(s)
    if type(s) == "number" then s = tostring(s) end
    if type(s) ~= "string" then piece_error(fname, s) end
    if s == "" then return true end
    return write(s)
  end
  if kind == "bytes" then
    return put(v)
  elseif kind == "array" then
    for i = 1, #v do
      local ok, err = put(v[i])
      if not ok then return nil, err end
    end
    return true
  elseif kind == "iterator" then
    while true do
      local s = v()
      if s == nil then return true end
      local ok, err = put(s)
      if not ok then return nil, err end
    end
  elseif kind == "file" then
    while true do
      local s, rerr = v:read(blocksize)
      if s == nil then
        if rerr then return nil, errors.new("OSError", tostring(rerr)) end
        return true
      end
      local ok, err = put(s)
      if not ok then return nil, err end
    end
  end
  return true
end

return M
