-- Shared by bench/paths.lua and bench/tiles.lua (loaded with dofile): cycles through the global list `paths`, each
-- thread from its own offset `i`; a thread stops after `max` responses (a safety bound); done() prints one
-- machine-readable RESULT line: requests, duration (us), p50, p99, mean (us), non-2xx/3xx answers, socket errors.
paths = {}
i = 0
count = 0
max = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
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
  io.write(string.format("RESULT %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.mean, e.status,
    e.connect + e.read + e.write + e.timeout))
end
