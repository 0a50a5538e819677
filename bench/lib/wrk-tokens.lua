-- wrk script of bench/lib/wrk.mjs: one request shape, optionally a bearer token
-- per request taken in turn from a file of tokens (one a line). Configured by
-- environment variables (wrk passes no arguments to init when run by wrk.mjs):
--   BENCH_METHOD, BENCH_PATH     request line
--   BENCH_HEADERS                extra headers, "name: value" separated by "\n"
--   BENCH_TOKENS                 file of tokens; none = no Authorization header
--   BENCH_CYCLE                  "repeat": cycle through the tokens;
--                                "epoch": also send x-bench-epoch, raised by one
--                                each time the pool wraps around (a new verifier)
--   BENCH_EPOCH_BASE             first epoch number
-- done() prints one line "BENCH_JSON {...}" with counts, the non-200 answers
-- (counted in response(), so 3xx and 1xx count too) and latency percentiles.
local method = os.getenv("BENCH_METHOD") or "GET"
local path = os.getenv("BENCH_PATH") or "/"
local cycle = os.getenv("BENCH_CYCLE") or "repeat"
local epoch = tonumber(os.getenv("BENCH_EPOCH_BASE") or "0")
local headers = {}
for line in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^\n]+") do
  local name, value = string.match(line, "^([^:]+):%s*(.*)$")
  if name then headers[name] = value end
end

local tokens = {}
local tokens_file = os.getenv("BENCH_TOKENS") or ""
if tokens_file ~= "" then
  for line in io.lines(tokens_file) do
    if line ~= "" then tokens[#tokens + 1] = line end
  end
end
local n = #tokens
local i = 0
wraps = 0 -- globals, read by done() through thread:get
non200 = 0
statuses = ""

-- Every answer's status: the count of non-200 ones, and which statuses they were.
local seen = {}
function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    if not seen[status] then
      seen[status] = true
      statuses = statuses .. " " .. status
    end
  end
end

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
end

if cycle == "epoch" then headers["x-bench-epoch"] = tostring(epoch) end

function request()
  if n > 0 then
    i = i + 1
    if i > n then
      i = 1
      wraps = wraps + 1
      if cycle == "epoch" then
        epoch = epoch + 1
        headers["x-bench-epoch"] = tostring(epoch)
      end
    end
    headers["Authorization"] = "Bearer " .. tokens[i]
  end
  return wrk.format(method, path, headers)
end

function done(summary, latency, requests)
  local w, bad, codes = 0, 0, ""
  for _, thread in ipairs(threads) do
    w = w + (tonumber(thread:get("wraps")) or 0)
    bad = bad + (tonumber(thread:get("non200")) or 0)
    codes = codes .. (thread:get("statuses") or "")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latency_us":{"p50":%d,"p95":%d,"p99":%d,"mean":%.1f,"max":%d},"wraps":%d,"tokens":%d,"non200":%d,"statuses":"%s"}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean, latency.max, w, n, bad, codes))
end
