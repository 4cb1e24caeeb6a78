-- 10,000 connections (every 10th with a request and a response) created and
-- dropped in random order under Lua's GC, with random early free()s and
-- methods called on freed handles.  Run by run_bindings_stress.sh under
-- valgrind; prints ok / not ok and the summary line.
local B = require "httpc.core"
local port = tonumber(os.getenv("HTTPC_TEST_NGINX_PORT"))
local N = tonumber(os.getenv("HTTPC_STRESS_N") or "10000")
math.randomseed(tonumber(os.getenv("HTTPC_STRESS_SEED") or "4"))
local pool, bodies, bad = {}, 0, 0
for i = 1, N do
    local c = B.conn_new("127.0.0.1", port, nil)
    local item = { c = c }
    if i % 10 == 0 then
        if c:request("GET", "/100b", nil, 0) == B.OK then
            local rc, r = c:getresponse()
            if rc == B.OK then item.r = r else bad = bad + 1 end
        else
            bad = bad + 1
        end
    end
    pool[#pool + 1] = item
    if #pool > 64 or i == N then
        -- drop a random half, in random order, each part by a random route
        for _ = 1, #pool // 2 do
            local k = math.random(#pool)
            local it = table.remove(pool, k)
            local how = math.random(4)
            if how == 1 and it.r then it.c:free(); local _, d = it.r:read(-1); bodies = bodies + #d
            elseif how == 2 then it.c:free(); it.c:free(); if it.r then it.r:free(); it.r:read(-1) end
            elseif how == 3 and it.r then it.r = nil
            end
            it = nil
        end
        if math.random(3) == 1 then collectgarbage() end
    end
end
pool = nil
collectgarbage(); collectgarbage()
local ok = bad == 0
print((ok and "ok" or "not ok") .. " - lua " .. _VERSION .. ": " .. N .. " connections dropped in random order (" .. bodies .. " body bytes read, " .. bad .. " failed requests)")
print(string.format("%d passed, %d failed, 0 skipped", ok and 1 or 0, ok and 0 or 1))
os.exit(ok and 0 or 1, true)  -- close the state: every handle is collected before valgrind counts
