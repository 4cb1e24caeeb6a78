-- A per-type cache of backend methods: on the SWIG backend every h.name
-- goes through the userdata's __index, so each name is looked up once.
-- Each handle type (connection, response) gets its own cache.
return function()
  local cache = {}
  return function(h, name)
    local f = cache[name]
    if f == nil then
      f = h[name]
      cache[name] = f
    end
    return f
  end
end
