-- wrk script for bench/load.sh: cycles through the request paths listed in a file, one per line.
--   wrk ... -s bench/paths.lua http://127.0.0.1:PORT -- PATHS_FILE MAX_REQUESTS_PER_THREAD
-- Each thread starts at its own offset in the list. A thread stops after MAX_REQUESTS_PER_THREAD responses
-- (a safety bound; load.sh flags a run that reached it). done() prints one machine-readable RESULT line.
local paths = {}
local i = 0
local count = 0
local max = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  max = tonumber(args[2])
  i = (tid or 0) * math.floor(#paths / 2)
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function response(status, headers, body)
  count = count + 1
  if count >= max then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local e = summary.errors
  -- requests, duration (us), p50, p99, mean (us), non-2xx/3xx answers, socket errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.mean, e.status,
    e.connect + e.read + e.write + e.timeout))
end
