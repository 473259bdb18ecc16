-- wrk script for bench/soak.sh: requests the URLs of $SOAK_URLS (one path per line) in a shuffled order per
-- thread and counts answers by status; done() prints "status count" lines for soak.sh to collect.
local urls = {}
statuses = {}   -- global: done() reads it from every thread with thread:get
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("SOAK_URLS")) do
    if #line > 0 then table.insert(urls, line) end
  end
  math.randomseed(os.time() + #threads)
end

function request()
  return wrk.format("GET", urls[math.random(#urls)])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
  end
  for status, n in pairs(total) do
    io.write(string.format("STATUS %d %d\n", status, n))
  end
  io.write(string.format("LATENCY p50=%.1fms p99=%.1fms max=%.1fms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
