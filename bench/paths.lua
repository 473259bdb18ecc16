-- wrk script for bench/load.sh: cycles through the request paths listed in a file, one per line.
--   wrk ... -s bench/paths.lua http://127.0.0.1:PORT -- PATHS_FILE MAX_REQUESTS_PER_THREAD
-- Each thread starts at its own offset in the list. A thread stops after MAX_REQUESTS_PER_THREAD responses
-- (a safety bound; load.sh flags a run that reached it). done() prints one machine-readable RESULT line.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "cycle.lua")

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  max = tonumber(args[2])
  i = (tid or 0) * math.floor(#paths / 2)
end
