-- wrk script for bench/many.sh: viewer sessions replayed as OpenSeadragon would make them over IIP, on images drawn
-- from a Zipf popularity, the same sessions for every server.
--   wrk -t K -c K ... -s bench/sessions.lua http://127.0.0.1:PORT -- PREFIX IMAGES WIDTH HEIGHT TILE_W TILE_H \
--       RESOLUTIONS SEED MAX ZIPF_S WINDOW_W WINDOW_H ZOOMS PANS [REPEAT]
-- PREFIX is a string.format pattern with one integer, e.g. /fcgi-bin/iipsrv.fcgi?FIF=m%03d.jp2; the images 0 ..
-- IMAGES-1 all have the given size (many.sh serves copies of one file). A session:
--   1. draws its image: rank k (1 = most popular) with probability proportional to 1 / k^ZIPF_S, image k-1;
--   2. asks for the metadata (obj=IIP,1.0&obj=Max-size&obj=Tile-size&obj=Resolution-number);
--   3. the home view: every tile of the largest level that fits a WINDOW_W x WINDOW_H window;
--   4. ZOOMS zoom steps around one random point: at each step the tiles of the next level that cover a window-sized
--      viewport centred on the point (moved inside the level where the level is larger than the window);
--   5. PANS pans at the deepest level: the viewport moves by half a window in a random direction (the other way when
--      it would leave the level), and the tiles it newly covers are asked for.
-- REPEAT > 0: each viewer replays its first REPEAT sessions over and over (its generator is seeded again before
-- session REPEAT + 1, 2 REPEAT + 1, ...), which is what "sessions repeat" means for a cache: readers coming back
-- to the same views. 0 (the default): every session is new.
-- A tile asked for once in a session is not asked for again (a viewer keeps its tiles); levels are floored as
-- iipsrv 1.1 does, so every tile exists on both servers. The next session starts when the last one's requests are
-- sent. No response is parsed: the sizes come from the command line, so a session's requests do not depend on the
-- server's answers and both servers get the same ones.
-- Approximation: wrk gives request() no connection identity, only per-thread Lua state, so many.sh runs one connection
-- per thread (-t K -c K) and a thread is one viewer running sessions one after the other. A real viewer also asks for
-- several tiles at once (OpenSeadragon up to 6 per host); here each viewer has one request in flight, so K viewers
-- make K concurrent requests. wrk calls request() once on thread 0 to check it, so that thread's very first request
-- (a metadata request) is never sent; the same for every server. Thread t draws from a generator seeded with SEED + t;
-- a thread stops after MAX responses (a safety bound). done() prints cycle.lua's RESULT line and a SESSIONS line
-- (sessions started, over all threads).
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "cycle.lua")

local prefix, images, levels, cumulative, tw, th, ww, wh, zooms, pans, seed, repeat_after
local queue, next_in_queue = {}, 1
sessions = 0

function init(args)
  prefix, images = args[1], tonumber(args[2])
  local w, h = tonumber(args[3]), tonumber(args[4])
  tw, th = tonumber(args[5]), tonumber(args[6])
  local n = tonumber(args[7])
  seed = tonumber(args[8]) + (tid or 0)
  math.randomseed(seed)
  repeat_after = tonumber(args[15] or "0")
  max = tonumber(args[9])
  local s = tonumber(args[10])
  ww, wh = tonumber(args[11]), tonumber(args[12])
  zooms, pans = tonumber(args[13]), tonumber(args[14])
  levels = {}
  for r = 0, n - 1 do
    local d = 2 ^ (n - 1 - r)
    local lw, lh = math.floor(w / d), math.floor(h / d)
    if lw >= 1 and lh >= 1 then
      levels[#levels + 1] = {r = r, w = lw, h = lh, cols = math.ceil(lw / tw), rows = math.ceil(lh / th)}
    end
  end
  cumulative = {}
  local sum = 0
  for k = 1, images do
    sum = sum + 1 / k ^ s
    cumulative[k] = sum
  end
  for k = 1, images do cumulative[k] = cumulative[k] / sum end
end

local function zipf()
  local u = math.random()
  for k = 1, images do
    if u <= cumulative[k] then return k - 1 end
  end
  return images - 1
end

-- The viewport's left or top edge: centred on c, moved inside [0, size) when the level is larger than the window.
local function edge(c, window, size)
  local e = math.floor(c - window / 2)
  if size <= window then return 0 end
  return math.max(0, math.min(e, size - window))
end

local function new_session()
  queue, next_in_queue = {}, 1
  if repeat_after > 0 and sessions > 0 and sessions % repeat_after == 0 then math.randomseed(seed) end
  sessions = sessions + 1
  local image = string.format(prefix, zipf())
  local seen = {}
  local function tiles(l, x0, y0)  -- the tiles of level l under the viewport at (x0, y0) not asked for yet
    local x1, y1 = math.min(x0 + ww, l.w) - 1, math.min(y0 + wh, l.h) - 1
    for ty = math.floor(y0 / th), math.floor(y1 / th) do
      for tx = math.floor(x0 / tw), math.floor(x1 / tw) do
        local index = ty * l.cols + tx
        local key = l.r .. "," .. index
        if not seen[key] then
          seen[key] = true
          queue[#queue + 1] = string.format("%s&JTL=%s", image, key)
        end
      end
    end
  end
  queue[1] = image .. "&obj=IIP,1.0&obj=Max-size&obj=Tile-size&obj=Resolution-number"
  local home = 1
  for k, l in ipairs(levels) do
    if l.w <= ww and l.h <= wh then home = k end
  end
  tiles(levels[home], 0, 0)
  local fx, fy = math.random(), math.random()
  local deepest = home
  for step = 1, zooms do
    if home + step > #levels then break end
    deepest = home + step
    local l = levels[deepest]
    tiles(l, edge(fx * l.w, ww, l.w), edge(fy * l.h, wh, l.h))
  end
  local l = levels[deepest]
  local x0, y0 = edge(fx * l.w, ww, l.w), edge(fy * l.h, wh, l.h)
  for _ = 1, pans do
    local dx, dy = 0, 0
    local sign = math.random(0, 1) * 2 - 1
    if math.random(0, 1) == 0 then dx = sign * ww / 2 else dy = sign * wh / 2 end
    local nx, ny = edge(x0 + dx + ww / 2, ww, l.w), edge(y0 + dy + wh / 2, wh, l.h)
    if nx == x0 and ny == y0 then  -- at the level's edge: pan the other way
      nx, ny = edge(x0 - dx + ww / 2, ww, l.w), edge(y0 - dy + wh / 2, wh, l.h)
    end
    x0, y0 = nx, ny
    tiles(l, x0, y0)
  end
end

function request()
  if next_in_queue > #queue then new_session() end
  local path = queue[next_in_queue]
  next_in_queue = next_in_queue + 1
  return wrk.format("GET", path)
end

local cycle_done = done
function done(summary, latency, requests)
  cycle_done(summary, latency, requests)
  local n = 0
  for _, thread in ipairs(sessions_threads) do n = n + (thread:get("sessions") or 0) end
  io.write(string.format("SESSIONS %d\n", n))
end

sessions_threads = {}
local cycle_setup = setup
function setup(thread)
  cycle_setup(thread)
  table.insert(sessions_threads, thread)
end
