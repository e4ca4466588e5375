-- wrk: one JSON line with the figures the benchmark reads.
-- BENCH_METHOD/BENCH_BODY (env) make it a POST; {uuid} in the body is replaced
-- by a fresh id per request, so each POST writes a new row.
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local counter = 0
math.randomseed(os.time())

local function uuid()
  local template = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (string.gsub(template, "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

request = function()
  if method == "POST" then
    counter = counter + 1
    return wrk.format("POST", nil, nil, (string.gsub(body, "{uuid}", uuid())))
  end
  return wrk.format("GET")
end

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50": %.3f, "p95": %.3f, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, errors))
end
