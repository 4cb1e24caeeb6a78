-- busted output handler: TAP-like lines ("ok N - name" / "not ok N - name"
-- with the failure's place and message), then the summary line that
-- tests/run.sh sums: "N passed, N failed, N skipped".
return function(options)
  local busted = require "busted"
  local handler = require("busted.outputHandlers.base")()
  local counter = 0

  local function say(s) io.write(s, "\n"); io.flush() end

  local function show_failure(t)
    local message = t.message
    if type(message) ~= "string" then
      local ok, pretty = pcall(require, "pl.pretty")
      message = ok and pretty.write(message) or tostring(message)
    end
    say(("not ok %d - %s"):format(counter, t.name or "?"))
    local tr = t.element and t.element.trace
    if tr and tr.short_src then say("# " .. tr.short_src .. " @ " .. tostring(tr.currentline)) end
    say("# " .. message:gsub("\n", "\n# "))
  end

  handler.testEnd = function(element, parent, status)
    counter = counter + 1
    if status == "success" then
      say(("ok %d - %s"):format(counter, handler.getFullName(element)))
    elseif status == "pending" then
      local t = handler.pendings[#handler.pendings]
      say(("ok %d - # SKIP %s"):format(counter, t.message or t.name))
    elseif status == "failure" then
      show_failure(handler.failures[#handler.failures])
    elseif status == "error" then
      show_failure(handler.errors[#handler.errors])
    end
    return nil, true
  end

  handler.error = function(element)
    if element.descriptor ~= "it" then
      counter = counter + 1
      show_failure(handler.errors[#handler.errors])
    end
    return nil, true
  end

  handler.suiteEnd = function()
    say(("%d passed, %d failed, %d skipped"):format(
      #handler.successes, #handler.failures + #handler.errors, #handler.pendings))
    return nil, true
  end

  busted.subscribe({ "test", "end" }, handler.testEnd, { predicate = handler.cancelOnPending })
  busted.subscribe({ "error" }, handler.error)
  busted.subscribe({ "suite", "end" }, handler.suiteEnd)
  return handler
end
