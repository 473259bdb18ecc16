#!/usr/bin/env bash
# What the server adds to a tile (issue 7: within 1.3x of the area decode + JPEG encode measured by JMH). In one run:
#  1. JMH DecodeLevelBenchmark.decodeConvertEncode on its 4096x3072 archive-profile image: a 256x256 tile at each
#     reduce factor 0..4 through the pooled reader, samples to pixels, TurboJPEG at quality 75; 8 tile positions per
#     level, taken in turn (PooledTiles);
#  2. Vellum (bin/vellum, -Xmx256m) on the same image, with no output cache and LEVEL_CACHE_SIZE=0, so that every
#     request decodes its tile as JMH does, quality 75, all layers;
#  3. per level, wrk with one connection cycling over the same 8 tiles as IIP JTL requests, DURATION seconds after
#     2 s of warm-up;
#  4. prints, per level, JMH's time, the mean served time (loopback HTTP and wrk included) and their ratio.
# Settings (environment): DURATION seconds per level (8), JMH_ARGS extra JMH arguments (e.g. "-wi 1 -i 2").
# Load goes to 127.0.0.1 only; the server started here is stopped on exit. About 3 minutes.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bench/common.sh"
DURATION=${DURATION:-8}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
bench_start_dir overhead
run_dir=$bench_dir

# --- 1. JMH (makes the image in servlet/target/bench on first use) ---------------------------------------------
# shellcheck disable=SC2086
BENCH='DecodeLevelBenchmark.decodeConvertEncode' "$root/bench/jmh.sh" ${JMH_ARGS:-} >"$run_dir/jmh.log" 2>&1 \
  || { cat "$run_dir/jmh.log" >&2; exit 1; }
images=$root/servlet/target/bench
csv=$images/jmh.csv
image=$(cd "$images" && ls jmh-*-archive.jp2 | head -1)
read -r width height <<<"$(echo "$image" | sed -E 's/^jmh-([0-9]+)x([0-9]+)-.*/\1 \2/')"

# --- 2. Vellum ---------------------------------------------------------------------------------------------------
vport=$(free_port)
env -u FILESYSTEM_PREFIX -u FILESYSTEM_SUFFIX -u PORT -u URI_MAP -u CORS \
  JAVA_OPTS="-Xmx256m ${JAVA_OPTS:-}" JPEG_QUALITY=75 MAX_LAYERS=-1 MAX_IMAGE_CACHE_SIZE=0 LEVEL_CACHE_SIZE=0 \
  VERBOSITY=1 "$root/bin/vellum" --images "$images" --port "$vport" --host 127.0.0.1 >"$run_dir/vellum.log" 2>&1 &
pids+=("$!")
base="http://127.0.0.1:$vport"
for _ in $(seq 1 240); do
  curl -sf "$base/fcgi-bin/iipsrv.fcgi?FIF=$image&obj=IIP,1.0" >/dev/null && break
  sleep 0.5
done
resolutions=$(curl -sf "$base/fcgi-bin/iipsrv.fcgi?FIF=$image&obj=Resolution-number" | sed 's/.*://' | tr -d '\r\n ')

# --- 3. the same tiles, served -------------------------------------------------------------------------------------
echo
echo "Per 256x256 tile, $image, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg):"
printf "  %-8s %15s %16s %8s\n" reduce "JMH ms" "served ms" ratio
for reduce in 0 1 2 3 4; do
  # PooledTiles' positions: up to 8 tiles, stride 7 modulo the level's tile count
  span=$((256 << reduce))
  cols=$(((width + span - 1) / span))
  rows=$(((height + span - 1) / span))
  n=$((cols * rows < 8 ? cols * rows : 8))
  : >"$run_dir/paths-$reduce"
  for ((i = 0; i < n; i++)); do
    t=$((i * 7 * cols * rows / n % (cols * rows)))
    echo "/fcgi-bin/iipsrv.fcgi?FIF=$image&JTL=$((resolutions - 1 - reduce)),$t" >>"$run_dir/paths-$reduce"
  done
  wrk -t1 -c1 -d2s -s "$root/bench/paths.lua" "$base" -- "$run_dir/paths-$reduce" 1000000 >/dev/null
  result=$(wrk -t1 -c1 -d"${DURATION}s" -s "$root/bench/paths.lua" "$base" -- "$run_dir/paths-$reduce" 1000000 \
    | grep '^RESULT')
  read -r _ requests _ _ _ mean status socket <<<"$result"
  read -r jmh jmh_error <<<"$(awk -F, -v r="$reduce" 'NR > 1 { sub(/\r$/, ""); gsub(/"/, ""); if ($NF == r) print $5, $6 }' "$csv")"
  [ -n "${jmh:-}" ] || { echo "no JMH figure for reduce $reduce in $csv" >&2; exit 1; }
  [ "$status" = 0 ] && [ "$socket" = 0 ] || echo "  reduce $reduce: $status error answers, $socket socket errors" >&2
  awk -v r="$reduce" -v j="$jmh" -v e="$jmh_error" -v m="$mean" -v q="$requests" \
    'BEGIN { printf "  %-8s %7.2f ± %-5.2f %16.2f %8.2f   (%d requests)\n", r, j, e, m / 1000, m / 1000 / j, q }'
done
echo "Ratio: served / (decode + pixels + JPEG). The served time includes the HTTP round trip on loopback."
