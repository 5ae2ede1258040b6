-- wrk script: PUT /api/v1/assets/{id} (an audited change) with 100 rotating
-- asset ids (UUIDs) per connection. env: ATIO_KEY (an admin API key).
local n = 0
request = function()
  n = n + 1
  local id = string.format("00000000-0000-4000-8000-%012d", n % 100)
  local body = '{"id":"' .. id .. '","name":"web server ' .. n ..
      '","ips":["10.0.0.' .. (n % 250) .. '"],"criticality":4}'
  return wrk.format("PUT", "/api/v1/assets/" .. id,
                    {["Content-Type"] = "application/json",
                     ["Authorization"] = "Bearer " .. os.getenv("ATIO_KEY")}, body)
end
