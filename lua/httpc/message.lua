-- HTTPMessage: the response headers as http.client's email.message view,
-- case-insensitive and in arrival order.  Built once from the C handle's
-- header list; values are exactly what the C parser kept.
local M = {}

local LIST = {}  -- private key: a table can never collide with a header name

local Message = {}
local mt = { __name = "httpc.HTTPMessage" }

local function lower(s) return (s:lower()) end

-- msg:get(name [, default]): the first value, or default.
function Message:get(name, default)
  local key = lower(name)
  for _, h in ipairs(self[LIST]) do
    if lower(h[1]) == key then return h[2] end
  end
  return default
end

-- msg:get_all(name): every value, in order ({} when absent: a Lua array
-- is easier to loop over than http.client's None).
function Message:get_all(name)
  local key, out = lower(name), {}
  for _, h in ipairs(self[LIST]) do
    if lower(h[1]) == key then out[#out + 1] = h[2] end
  end
  return out
end

local function column(list, i)
  local out = {}
  for n, h in ipairs(list) do out[n] = h[i] end
  return out
end

function Message:keys() return column(self[LIST], 1) end
function Message:values() return column(self[LIST], 2) end

function Message:items()
  local out = {}
  for n, h in ipairs(self[LIST]) do out[n] = { h[1], h[2] } end
  return out
end

function Message:len() return #self[LIST] end

-- msg[name]: methods first, then the first value of that header (nil if absent).
mt.__index = function(self, k)
  local m = Message[k]
  if m ~= nil then return m end
  if type(k) == "string" then return Message.get(self, k) end
  return nil
end

mt.__newindex = function() error("HTTPMessage is read-only", 2) end
mt.__len = function(self) return #self[LIST] end

-- pairs(msg) walks the headers in arrival order (duplicates included).
mt.__pairs = function(self)
  local list, i = self[LIST], 0
  return function()
    i = i + 1
    local h = list[i]
    if h then return h[1], h[2] end
  end, self, nil
end

mt.__tostring = function(self)
  local out = {}
  for n, h in ipairs(self[LIST]) do out[n] = h[1] .. ": " .. h[2] .. "\n" end
  return table.concat(out) .. "\n"
end

-- new({{name, value}, ...})
function M.new(list)
  return setmetatable({ [LIST] = list }, mt)
end

function M.is_message(v) return getmetatable(v) == mt end

return M
