#!/usr/bin/env bash
# Redeploys under load, on demand: bench/redeploy.sh
# Starts bin/vellum (the Felix runtime) on 127.0.0.1, drives it with wrk (random IIP tiles over every level, 8
# connections) and, while wrk runs, drops UPDATES (50) new builds of the bundle into the runtime's deploy/ folder, one
# every INTERVAL (6) seconds, as an operator updating Vellum in place would (the same jar with a new Bundle-Version
# qualifier; FileInstall updates and refreshes the bundle). Beside wrk a probe sends one request at a time on its own
# connection and logs each answer's status and latency, so the latency a request meets during a switch is visible.
# Before that, BASELINE (20) seconds of the same load without updates. Prints: answers by status, non-200 count,
# wrk's latency figures with and without updates, and the probe's worst latency per switch less its median without
# updates (the added latency). No tile cache unless MAX_IMAGE_CACHE_SIZE is set. Settings: CONNECTIONS (8), THREADS (2), BENCH_IMAGES / BENCH_IMAGE as in bench/load.sh,
# JAVA_OPTS. The deploy/ jar is put back as it was on exit; every process it starts is stopped.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bench/common.sh"
UPDATES=${UPDATES:-50}
INTERVAL=${INTERVAL:-6}
BASELINE=${BASELINE:-20}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

bench_start_dir redeploy
work=$bench_dir
port=$(free_port)

echo "Building Vellum if needed..." >&2
"$root/bin/vellum" --build-only
deploy=$root/bundle/target/felix/deploy
jar=$(ls "$deploy"/vellum-bundle-*.jar | grep -v -- '-gate' | head -1)
cp -p "$jar" "$work/bundle-original.jar"
# KEEP=1 keeps the scratch folder (logs, probe and wrk output) for a look afterwards.
restore() {
  cp -p "$work/bundle-original.jar" "$jar" 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then cp -r "$work" "$work.kept"; echo "kept: $work.kept" >&2; fi
  bench_cleanup
}
trap restore EXIT

vellum_args=(--port "$port" --host 127.0.0.1)
if [ -n "${BENCH_IMAGES:-}" ]; then
  images=$(cd "$BENCH_IMAGES" && pwd -P)
  vellum_args+=(--images "$images")
else
  images=$root/demo
  mkdir -p "$images"
fi
# No tile cache by default (MAX_IMAGE_CACHE_SIZE=0): every answer is a decode, as for a repository's mostly cold load.
env -u FILESYSTEM_PREFIX -u PORT VERBOSITY=1 MAX_IMAGE_CACHE_SIZE="${MAX_IMAGE_CACHE_SIZE:-0}" \
  JAVA_OPTS="${JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS" \
  "$root/bin/vellum" "${vellum_args[@]}" >"$work/vellum.log" 2>&1 &
pids+=($!)
base="http://127.0.0.1:$port"
for _ in $(seq 1 1500); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/" || true)" = 200 ] && break
  sleep 0.2
done
image=${BENCH_IMAGE:-$(cd "$images" && ls -1 -- *.jp2 | head -1)}
fif=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$image")
meta=$(curl -fs "$base/iip?FIF=$fif&obj=Max-size&obj=Tile-size&obj=Resolution-number")
read -r W H < <(sed -n 's/^Max-size:\([0-9]*\) \([0-9]*\).*/\1 \2/p' <<<"$meta")
read -r TW TH < <(sed -n 's/^Tile-size:\([0-9]*\) \([0-9]*\).*/\1 \2/p' <<<"$meta")
N=$(sed -n 's/^Resolution-number:\([0-9]*\).*/\1/p' <<<"$meta")

# Up to 48 tiles of every level in a fixed shuffled order (as bench/load.sh), for wrk and the probe alike.
awk -v W="$W" -v H="$H" -v TW="$TW" -v TH="$TH" -v N="$N" -v p="/iip?FIF=$fif" 'BEGIN {
  srand(1)
  for (r = 0; r < N; r++) {
    d = 2 ^ (N - 1 - r); w = int(W / d); h = int(H / d)
    n = int((w + TW - 1) / TW) * int((h + TH - 1) / TH)
    k = n < 48 ? n : 48
    for (i = 0; i < k; i++) printf "%.8f %s&JTL=%d,%d\n", rand(), p, r, int(i * n / k)
  }
}' | sort -k1,1 | cut -d' ' -f2 >"$work/tiles.txt"

# probe SECONDS OUT: one request at a time on one keep-alive connection; "epoch_ms latency_ms status" per answer.
probe() {
  python3 - "$port" "$work/tiles.txt" "$1" "$2" <<'PY'
import http.client, sys, time
port, tiles, seconds, out = int(sys.argv[1]), open(sys.argv[2]).read().split(), float(sys.argv[3]), sys.argv[4]
end, i, conn = time.time() + seconds, 0, None
with open(out, "w") as f:
    while time.time() < end:
        path = tiles[i % len(tiles)]; i += 7
        t0 = time.time()
        try:
            if conn is None: conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path); r = conn.getresponse(); r.read(); status = r.status
        except Exception:
            status, conn = -1, None
        f.write("%d %.1f %d\n" % (t0 * 1000, (time.time() - t0) * 1000, status))
PY
}

load() {  # seconds out
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "${1}s" --timeout 30s --latency -s "$root/bench/paths.lua" "$base" \
    -- "$work/tiles.txt" 100000000 >"$2" 2>&1
}

echo "warm-up 10 s, then ${BASELINE} s without updates..." >&2
load 10 "$work/warmup.txt"
probe "$BASELINE" "$work/probe-baseline.txt" &
load "$BASELINE" "$work/wrk-baseline.txt"
wait $!

# Two builds that differ from the original and from each other only in the Bundle-Version qualifier; the updates
# alternate between them. Moved into deploy/ from its parent folder (same file system: FileInstall never sees half a jar).
for tag in a b; do
  python3 - "$work/bundle-original.jar" "$work/bundle-$tag.jar" "$tag" <<'PY'
import re, sys, zipfile
src, dst, tag = sys.argv[1:]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "META-INF/MANIFEST.MF":
            data = re.sub(rb"(?m)^(Bundle-Version: [^\r\n]*)", lambda m: m.group(1) + tag.encode(), data, count=1)
        zout.writestr(item, data)
PY
done

seconds=$(( (UPDATES + 1) * INTERVAL + 2 ))
echo "$UPDATES updates, one every $INTERVAL s, under load for $seconds s..." >&2
probe "$seconds" "$work/probe-updates.txt" &
probe_pid=$!
load "$seconds" "$work/wrk-updates.txt" &
wrk_pid=$!
: >"$work/deploys.txt"
for n in $(seq 1 "$UPDATES"); do
  sleep "$INTERVAL"
  cp "$work/bundle-$([ $((n % 2)) = 1 ] && echo a || echo b).jar" "$deploy/../next.jar.tmp"
  mv "$deploy/../next.jar.tmp" "$jar"
  echo "$(date +%s%3N) $n" >>"$work/deploys.txt"
done
wait "$wrk_pid"
wait "$probe_pid"

started=$(grep -c "Vellum serves" "$work/vellum.log" || true)
python3 - "$work" "$INTERVAL" "$started" <<'PY'
import re, statistics, sys
work, interval, started = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
def probe(name):
    return [tuple(float(x) for x in l.split()) for l in open(f"{work}/{name}") if l.strip()]
def wrk(name):
    text = open(f"{work}/{name}").read()
    req = int(re.search(r"(\d+) requests in", text).group(1))
    non2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", text) or [0, 0])[1])
    sock = re.search(r"Socket errors: (.*)", text)
    lat = re.search(r"Latency\s+(\S+)\s+(\S+)\s+(\S+)", text).groups()
    pct = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", text, re.M))
    rps = re.search(r"Requests/sec:\s+(\S+)", text).group(1)
    return req, non2xx, sock.group(1) if sock else "none", lat, pct, rps
base, upd = probe("probe-baseline.txt"), probe("probe-updates.txt")
deploys = [float(l.split()[0]) for l in open(f"{work}/deploys.txt") if l.strip()]
median = statistics.median(l for _, l, _ in base)
added = []
for d in deploys:
    window = [l for t, l, _ in upd if d <= t < d + interval * 1000]
    if window: added.append(max(window) - median)
for name, (req, non2xx, sock, lat, pct, rps) in (("without updates", wrk("wrk-baseline.txt")),
                                                  (f"with {len(deploys)} updates", wrk("wrk-updates.txt"))):
    print(f"wrk {name}: {req} answers ({rps}/s), non-2xx {non2xx}, socket errors {sock}; latency avg {lat[0]} "
          f"max {lat[2]}, p50 {pct.get('50')} p90 {pct.get('90')} p99 {pct.get('99')}")
statuses = {}
for _, _, s in upd: statuses[int(s)] = statuses.get(int(s), 0) + 1
print(f"probe with updates: {len(upd)} answers, by status {dict(sorted(statuses.items()))}; without updates "
      f"median {median:.1f} ms, p99 {sorted(l for _, l, _ in base)[int(len(base) * 0.99)]:.1f} ms")
if added:
    print(f"added latency at a switch (probe's worst answer within {interval:g} s after a deploy, less the median "
          f"without updates), over {len(added)} switches: median {statistics.median(added):.0f} ms, "
          f"p90 {sorted(added)[int(len(added) * 0.9)]:.0f} ms, max {max(added):.0f} ms")
print(f"Vellum revisions started (log lines 'Vellum serves'): {started} (1 at start, then one per update; FileInstall updates "
      f"and refreshes the bundle)")
PY
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores; files in $work are removed on exit"
