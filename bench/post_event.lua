-- wrk script: POSTs examples/suricata-alert.json to an atio webhook.
-- env: EVENT_FILE (body), HOOK_TOKEN (Bearer token of the hook).
local f = assert(io.open(os.getenv("EVENT_FILE"), "rb"))
local body = f:read("*a"):gsub("%s+$", "")
f:close()
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
if os.getenv("HOOK_TOKEN") then
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("HOOK_TOKEN")
end

-- Answers other than 200: with ?wait, an execution that had not ended.
local not200 = 0
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function response(status, headers, body)
  if status ~= 200 then not200 = not200 + 1 end
end

function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + (t:get("not200") or 0) end
  local s = summary
  local errs = s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout
  io.write(string.format(
    "RESULT requests=%d duration_s=%.2f rps=%.1f p50_ms=%.3f p99_ms=%.3f non2xx=%d not200=%d sock_errors=%d\n",
    s.requests, s.duration / 1e6, s.requests / (s.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, s.errors.status, n, errs))
end
