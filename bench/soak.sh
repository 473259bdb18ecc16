#!/usr/bin/env bash
# Soak run, on demand: bench/soak.sh [DURATION]   (wrk syntax: 30m default, 3m, 90s); REDEPLOY_EVERY=30 also
# updates the bundle in the running Felix runtime every 30 s (bin/vellum runs the OSGi runtime by default).
# Starts bin/vellum on 127.0.0.1 over a folder holding two good images and the hostile corpus (HostileCorpus), drives
# it with wrk at $CONNECTIONS connections (default 16) with mixed IIP / IIIF / Zoomify / Deep Zoom requests (about 1 in 5
# for a malformed file), and samples heap, RSS, open file descriptors and threads every $SAMPLE seconds (default 10).
# Native memory (NMT) and heap after a full GC are taken at start and end. Results: $OUT (default target/soak-<time>).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
duration=${1:-30m}
connections=${CONNECTIONS:-16}
sample=${SAMPLE:-10}
port=${PORT:-18080}
out=${OUT:-$root/target/soak-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
command -v wrk >/dev/null || { echo "installing wrk" >&2; apt-get install -y wrk >/dev/null 2>&1 || sudo apt-get install -y wrk; }

# Build the server and the corpus writer (test classes), then write the images.
(cd "$root" && { mvn -q -B -o -DskipTests -pl servlet -am package >/dev/null 2>&1 \
  || mvn -q -B -DskipTests -pl servlet -am package; })
(cd "$root" && mvn -q -B -o -pl servlet dependency:build-classpath -Dmdep.outputFile="$out/classpath.txt" >/dev/null)
cp=$(cat "$out/classpath.txt")
images="$out/images"
java -cp "$root/servlet/target/test-classes:$root/servlet/target/classes:$cp" org.vellum.hostile.HostileCorpus "$images" >&2

# URLs: every IIP tile of every level of the good tiled image, exports, metadata, Zoomify and Deep Zoom tiles,
# and the same kinds of request against a sample of the malformed files.
urls="$out/urls.txt"
{
  for r in 0 1 2 3; do
    cols=$(( (1100 / (1 << (3 - r)) + 255) / 256 )); rows=$(( (800 / (1 << (3 - r)) + 255) / 256 ))
    for ((t = 0; t < cols * rows; t++)); do echo "/iip?FIF=good-tiled.jp2&JTL=$r,$t"; done
  done
  for w in 100 400 900; do echo "/iip?FIF=good-tiled.jp2&WID=$w&CVT=jpeg"; echo "/iip?FIF=good-single.j2k&WID=$w&CVT=jpeg"; done
  echo "/iip?FIF=good-tiled.jp2&obj=IIP,1.0&obj=Max-size&obj=Tile-size&obj=Resolution-number"
  echo "/zoomify/good-tiled.jp2/ImageProperties.xml"
  for x in 0 1 2; do echo "/zoomify/good-tiled.jp2/TileGroup0/2-$x-1.jpg"; echo "/deepzoom/good-tiled.jp2_files/10/${x}_1.jpg"; done
  echo "/deepzoom/good-single.j2k.dzi"; echo "/iip?FIF=good-single.j2k&JTL=1,0"
  echo "/iiif/3/good-tiled.jp2/info.json"; echo "/iiif/2/good-single.j2k/info.json"
  for x in 0 256 512 768; do
    echo "/iiif/3/good-tiled.jp2/$x,256,256,256/256,/0/default.jpg"; echo "/iiif/2/good-tiled.jp2/$x,0,512,512/256,/0/default.jpg"
  done
  echo "/iiif/3/good-tiled.jp2/full/max/22.5/gray.png"; echo "/iiif/3/good-single.j2k/pct:10,10,50,50/!300,300/!90/default.jpg"
} > "$urls.good"
(cd "$images" && ls | grep -v '^good-' | awk 'NR % 20 == 0') | while read -r f; do
  echo "/iip?FIF=$f&JTL=3,6"; echo "/iip?FIF=$f&obj=Max-size"; echo "/deepzoom/$f.dzi"
  echo "/iiif/3/$f/info.json"; echo "/iiif/3/$f/0,0,256,256/256,/0/default.jpg"
done > "$urls.bad"
cat "$urls.good" "$urls.good" "$urls.good" "$urls.good" "$urls.good" "$urls.bad" > "$urls"
echo "$(wc -l < "$urls.good") good and $(wc -l < "$urls.bad") malformed-file URLs" >&2

JAVA_OPTS="${JAVA_OPTS:--Xmx512m} -XX:NativeMemoryTracking=summary" \
  "$root/bin/vellum" --images "$images" --port "$port" --host 127.0.0.1 > "$out/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/iip?FIF=good-tiled.jp2&obj=IIP,1.0" >/dev/null && break; sleep 0.5; done

heap_mb() { jstat -gc "$1" | awk 'NR == 2 { printf "%.0f", ($3 + $4 + $6 + $8) / 1024 }'; }
rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
fds() { ls "/proc/$1/fd" | wc -l; }
threads() { awk '/Threads/ { print $2 }' "/proc/$1/status"; }
nmt_mb() { jcmd "$1" VM.native_memory summary | awk '/^Total:/ { gsub("KB", ""); split($0, a, "committed="); printf "%.0f", a[2] / 1024 }'; }
gc_heap_mb() { jcmd "$1" GC.run >/dev/null; sleep 1; heap_mb "$1"; }

# Warm up (JIT, pool, info cache) so that start figures are steady-state ones.
SOAK_URLS="$urls" wrk -t2 -c"$connections" -d20s -s "$root/bench/soak.lua" "http://127.0.0.1:$port" > "$out/warmup.txt"
start_heap=$(gc_heap_mb "$pid"); start_rss=$(rss_mb "$pid"); start_fds=$(fds "$pid"); start_nmt=$(nmt_mb "$pid")
echo "seconds,heap_mb,rss_mb,fds,threads" > "$out/samples.csv"
SOAK_URLS="$urls" wrk -t2 -c"$connections" -d"$duration" --timeout 30s -s "$root/bench/soak.lua" \
  "http://127.0.0.1:$port" > "$out/wrk.txt" &
wrk_pid=$!
t0=$(date +%s)
# REDEPLOY_EVERY=N (seconds): while the traffic runs, drop a new build of the bundle into the Felix runtime's deploy/
# every N seconds (the same jar with a new Bundle-Version qualifier), as an operator updating Vellum in place would.
redeploys="$out/redeploys.txt"; : > "$redeploys"
if [ -n "${REDEPLOY_EVERY:-}" ]; then
  deploy="$root/bundle/target/felix/deploy"
  jar=$(ls "$deploy"/vellum-bundle-*.jar | head -1)
  cp "$jar" "$out/bundle-original.jar"
  (
    n=0
    while kill -0 "$wrk_pid" 2>/dev/null && sleep "$REDEPLOY_EVERY"; do
      n=$((n + 1))
      python3 - "$out/bundle-original.jar" "$out/bundle-next.jar" "r$n" <<'PY'
import re, sys, zipfile
src, dst, tag = sys.argv[1:]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "META-INF/MANIFEST.MF":
            data = re.sub(rb"(?m)^(Bundle-Version: [^\r\n]*)", lambda m: m.group(1) + tag.encode(), data, count=1)
        zout.writestr(item, data)
PY
      mv "$out/bundle-next.jar" "$jar"
      echo "$(( $(date +%s) - t0 )) redeploy $n" >> "$redeploys"
    done
  ) &
fi
while kill -0 "$wrk_pid" 2>/dev/null; do
  echo "$(( $(date +%s) - t0 )),$(heap_mb "$pid"),$(rss_mb "$pid"),$(fds "$pid"),$(threads "$pid")" >> "$out/samples.csv"
  sleep "$sample"
done
wait "$wrk_pid"
end_heap=$(gc_heap_mb "$pid"); end_rss=$(rss_mb "$pid"); end_fds=$(fds "$pid"); end_nmt=$(nmt_mb "$pid")
kill -0 "$pid" || { echo "SERVER DIED" >&2; exit 1; }
kill "$pid"; wait "$pid" 2>/dev/null || true; trap - EXIT

requests=$(awk '/requests in/ { print $1 }' "$out/wrk.txt")
{
  echo "soak $duration, $connections connections, $(nproc) cores, JAVA_OPTS=${JAVA_OPTS:--Xmx512m}"
  echo "requests: $requests ($(awk '/Requests\/sec/ { print $2 }' "$out/wrk.txt")/s); $(grep LATENCY "$out/wrk.txt")"
  echo "by status: $(grep STATUS "$out/wrk.txt" | sort -k2n | awk '{ printf "%s=%s ", $2, $3 }')"
  grep -E "Socket errors|Non-2xx" "$out/wrk.txt" || true
  echo "heap after full GC: $start_heap MB -> $end_heap MB"
  echo "RSS: $start_rss MB -> $end_rss MB (samples: min $(awk -F, 'NR > 1 { print $3 }' "$out/samples.csv" | sort -n | head -1), max $(awk -F, 'NR > 1 { print $3 }' "$out/samples.csv" | sort -n | tail -1))"
  echo "open fds: $start_fds -> $end_fds; NMT committed: $start_nmt MB -> $end_nmt MB"
  echo "500s in the server log: $(grep -c 'Bug while answering' "$out/server.log" || true)"
  [ -s "$redeploys" ] && echo "bundle redeployed $(wc -l < "$redeploys") times (every ${REDEPLOY_EVERY}s) while serving"
} | tee "$out/summary.txt"
