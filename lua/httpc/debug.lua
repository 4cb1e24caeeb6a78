-- Where set_debuglevel's trace goes.  Connections keep their trace lines in
-- C (set_debug_sink_buffer); after each I/O call the Lua side hands the
-- text to the sink: io.stdout by default, or httpc.set_debug_sink(fn).
local M = {}

local function stdout_sink(text)
  io.stdout:write(text)
  io.stdout:flush()
end

local sink = stdout_sink

-- set(fn): fn(text) receives whole lines ("\n"-terminated); nil restores stdout.
function M.set(fn)
  if fn ~= nil and type(fn) ~= "function" then
    error(("bad argument #1 to 'set_debug_sink' (function expected, got %s)"):format(type(fn)), 2)
  end
  sink = fn or stdout_sink
end

function M.drain(c)
  local text = c:debug_take()
  if text and text ~= "" then sink(text) end
end

return M
