-- wrk script for bench/speed.sh: a random sequence of IIP JTL tile requests over all resolution levels, the same
-- sequence for every server. Thread t draws from a generator seeded with SEED + t, so two runs with the same number
-- of threads send the same requests in the same order per thread.
--   wrk ... -s bench/tiles.lua http://127.0.0.1:PORT -- PREFIX WIDTH HEIGHT TILE_W TILE_H RESOLUTIONS SEED MAX
-- PREFIX is the path up to the image, e.g. /fcgi-bin/iipsrv.fcgi?FIF=big.jp2. Each request picks a level uniformly
-- (a viewer asks for about as many tiles at each level as it zooms through), then a tile of that level uniformly.
-- Level sizes are floored as iipsrv 1.1 does, so every tile exists on both servers. A thread stops after MAX
-- responses (a safety bound). done() prints one machine-readable RESULT line, as bench/paths.lua does.
local paths = {}
local i = 0
local count = 0
local max = 0
local threads = {}
local LIST = 50000

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  local prefix = args[1]
  local w, h = tonumber(args[2]), tonumber(args[3])
  local tw, th = tonumber(args[4]), tonumber(args[5])
  local n = tonumber(args[6])
  max = tonumber(args[8])
  math.randomseed(tonumber(args[7]) + (tid or 0))
  local levels = {}
  for r = 0, n - 1 do
    local d = 2 ^ (n - 1 - r)
    local lw, lh = math.floor(w / d), math.floor(h / d)
    if lw >= 1 and lh >= 1 then
      levels[#levels + 1] = {r, math.ceil(lw / tw) * math.ceil(lh / th)}
    end
  end
  for k = 1, LIST do
    local l = levels[math.random(1, #levels)]
    paths[k] = string.format("%s&JTL=%d,%d", prefix, l[1], math.random(0, l[2] - 1))
  end
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
