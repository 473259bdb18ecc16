-- wrk script for bench/speed.sh and bench/many.sh: a random sequence of IIP JTL tile requests over all resolution
-- levels, the same sequence for every server. Thread t draws from a generator seeded with SEED + t, so two runs with
-- the same number of threads send the same requests in the same order per thread.
--   wrk ... -s bench/tiles.lua http://127.0.0.1:PORT -- PREFIX WIDTH HEIGHT TILE_W TILE_H RESOLUTIONS SEED MAX [IMAGES
--   [FIRST]]
-- PREFIX is the path up to the image, e.g. /fcgi-bin/iipsrv.fcgi?FIF=big.jp2. With IMAGES (many.sh: that many images
-- of the same size), PREFIX is a string.format pattern with one integer, e.g. ...?FIF=m%03d.jp2, and each request
-- first picks one of images FIRST .. FIRST+IMAGES-1 uniformly (FIRST 0 unless given; without IMAGES the sequence is
-- the one speed.sh always had).
-- Each request picks a level uniformly (a viewer asks for about as many tiles at each level as it zooms through), then
-- a tile of that level uniformly.
-- Level sizes are floored as iipsrv 1.1 does, so every tile exists on both servers. A thread stops after MAX
-- responses (a safety bound). done() prints one machine-readable RESULT line, as bench/paths.lua does.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "cycle.lua")
local LIST = 50000

function init(args)
  local prefix = args[1]
  local w, h = tonumber(args[2]), tonumber(args[3])
  local tw, th = tonumber(args[4]), tonumber(args[5])
  local n = tonumber(args[6])
  max = tonumber(args[8])
  local images = tonumber(args[9])
  local first = tonumber(args[10] or "0")
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
    local image = images and string.format(prefix, first + math.random(0, images - 1)) or prefix
    local l = levels[math.random(1, #levels)]
    paths[k] = string.format("%s&JTL=%d,%d", image, l[1], math.random(0, l[2] - 1))
  end
end
