#!/usr/bin/env bash
# A repository's load on loopback, on demand (not part of `mvn verify`): many different images at once, mostly cold,
# against the reference iipsrv 1.1 in the same run. In one run it:
#  1. makes the image once (kept in WORK/many and reused): an 8000x6000 single-tile JPEG 2000 in the "Kakadu profile"
#     written by the machine's opj_compress (8 layers, 9 resolutions, precincts 256/256/128, 64x64 code-blocks,
#     RPCL, SOP, PLT, TLM, tile-parts per resolution) from a page-like picture (bench/ManyPicture.java: paper grain,
#     lines of text-like glyphs, a photographic plate), and real copies m000.jp2, m001.jp2, ... of it (cp, not links,
#     so each copy has its own pages in the page cache, as a repository's files do);
#  2. workload "many": for each count in N, starts Vellum (bin/vellum, OSGi runtime, -Xmx256m) and then iipsrv
#     (2 FastCGI processes behind nginx) fresh, one at a time, and drives each with wrk for DURATION s, 8 connections,
#     random IIP JTL tiles (bench/tiles.lua: image uniformly among the first N copies, then level, then tile, the same
#     sequence for both servers, seed SEED);
#  3. workload "sessions": SESSIONS viewers (one wrk connection and thread each, bench/sessions.lua) replaying what
#     OpenSeadragon asks for: the metadata, the home view, three zoom steps around a random point and a few pans, each
#     session on an image drawn from a Zipf popularity over SESSION_IMAGES copies; fresh servers again;
#  4. prints tiles/s (sessions: requests/s, one in about 150 is the metadata request), p50 and p99 per server and the
#     ratio Vellum/iipsrv, and per run each server's peak RSS (sampled every 0.5 s from /proc/PID/status; iipsrv: the
#     sum of its FastCGI processes) and the bytes it wrote while loaded (/proc/PID/io write_bytes, after minus before:
#     temporary files included, and how much of that was deleted before it reached the disk, cancelled_write_bytes).
# "Cold": each server starts fresh for each run and gets no warm-up, only one request that touches no image to see it
# answers. WARMUP=S instead gives each server S seconds of the same traffic on WARMUP_IMAGES other copies first (never
# measured, never among the N), so that the images are still cold but the server is as warm as one that has served for
# a while: a JVM's JIT has compiled the hot paths, its memory budget is full of other images' investments. The files themselves are read into the OS page cache before each server's run (PAGE_CACHE=warm), so that
# neither server pays for the disk the other did not; PAGE_CACHE=cold drops the whole machine's page cache instead
# (echo 1 > /proc/sys/vm/drop_caches, root only, slows everything else on the machine for a while).
# Settings (environment): N ("1 4 12 40 200"), DURATION seconds per server and run of workload many (20), CONNECTIONS
# (8) and THREADS (2) of wrk in workload many, SESSION_DURATION seconds per server (60: a session is about 150
# requests, so a viewer needs most of a minute for a few of them), SESSIONS concurrent viewers (8), SESSION_IMAGES
# (40), WARMUP seconds (0) on WARMUP_IMAGES (8) other copies, ZIPF_S (1.0), ZOOMS (3), PANS (4), REPEAT (0: each viewer replays its first REPEAT sessions over and over,
# so that a cache meets the same views again; 0 never), WINDOW viewer size (1280x900), WORKLOADS ("many sessions"), ENCODERS
# ("opj"; "opj vellum" adds copies of speed.sh's 8000x6000 image from our encoder, archive profile), SEED (7), HEAP
# Vellum's -Xmx (256m), PROCESSES iipsrv processes (2), PAGE_CACHE (warm|cold), VELLUM_ENV extra environment for
# Vellum, words NAME=VALUE in which @TMP@ becomes a fresh empty folder per Vellum start (e.g.
# VELLUM_ENV="DISK_CACHE_DIR=@TMP@ DISK_CACHE_SIZE=2000"), WORK (bench/work, git-ignored), MAX_REQUESTS per wrk thread
# (1000000, a safety bound).
# Disk: each copy is about 18 MB, 200 copies 3.6 GB (checked against df before copying). Load goes to 127.0.0.1 only;
# every process started here is stopped on exit. A run of the defaults takes about 7 minutes (6.5 measured on the
# shared 2-core machine: 5 counts x 2 servers x 20 s, 2 x 60 s of sessions, each server's start), plus 2-3 minutes on
# first use to draw and encode the image (about 1 minute of opj_compress) and copy it 200 times.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bench/common.sh"
N=${N:-"1 4 12 40 200"}
DURATION=${DURATION:-20}
SESSION_DURATION=${SESSION_DURATION:-60}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
SESSIONS=${SESSIONS:-8}
SESSION_IMAGES=${SESSION_IMAGES:-40}
ZIPF_S=${ZIPF_S:-1.0}
ZOOMS=${ZOOMS:-3}
PANS=${PANS:-4}
REPEAT=${REPEAT:-0}
WINDOW=${WINDOW:-1280x900}
WORKLOADS=${WORKLOADS:-"many sessions"}
ENCODERS=${ENCODERS:-opj}
SEED=${SEED:-7}
HEAP=${HEAP:-256m}
PROCESSES=${PROCESSES:-2}
PAGE_CACHE=${PAGE_CACHE:-warm}
VELLUM_ENV=${VELLUM_ENV:-}
WORK=${WORK:-$root/bench/work}
MAX_REQUESTS=${MAX_REQUESTS:-1000000}
WARMUP=${WARMUP:-0}
WARMUP_IMAGES=${WARMUP_IMAGES:-8}
WIDTH=8000
HEIGHT=6000
IIPSRV=/usr/lib/iipimage-server/iipsrv.fcgi
FCGI_PATH=/fcgi-bin/iipsrv.fcgi   # Vellum answers IIP at this path too, so both servers get identical URLs

case "$PAGE_CACHE" in
  warm) ;;
  cold) [ -w /proc/sys/vm/drop_caches ] || { echo "PAGE_CACHE=cold needs root (drop_caches)" >&2; exit 2; } ;;
  *) echo "PAGE_CACHE must be warm or cold" >&2; exit 2 ;;
esac
for w in $WORKLOADS; do
  case "$w" in many|sessions) ;; *) echo "WORKLOADS: unknown workload $w (many, sessions)" >&2; exit 2 ;; esac
done
read -r window_w window_h <<<"${WINDOW/x/ }"

"$root/bin/install-deps" test
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

bench_start_dir many
run_dir=$bench_dir
trap 'echo "many.sh: a command failed at line $LINENO" >&2' ERR
run_start=$(date +%s)

echo "Building Vellum if needed..." >&2
"$root/bin/vellum" --build-only

# --- 1. images ----------------------------------------------------------------------------------------------------
many=$WORK/many
mkdir -p "$many"
many=$(cd "$many" && pwd -P)
master_of() { echo "$many/$1-${WIDTH}x${HEIGHT}.jp2"; }
make_master() {  # encoder: WORK/many/ENCODER-8000x6000.jp2, once
  local master
  master=$(master_of "$1")
  [ -s "$master" ] && return 0
  case "$1" in
    opj)
      echo "Making $(basename "$master") with opj_compress (once, about 2 minutes)..." >&2
      java "$root/bench/ManyPicture.java" "$run_dir/source.ppm" "$WIDTH" "$HEIGHT"
      # The "Kakadu profile" many repositories' files follow (Kakadu's Creversible=no Clayers=8 Clevels=8
      # Cprecincts={256,256},{256,256},{128,128} Cblk={64,64} Corder=RPCL ORGgen_plt=yes ORGtparts=R Cuse_sop=yes).
      opj_compress -i "$run_dir/source.ppm" -o "$run_dir/master.jp2" -r 96,64,48,32,24,16,12,8 -n 9 \
        -c '[256,256],[256,256],[128,128]' -b 64,64 -p RPCL -SOP -PLT -TLM -TP R -threads "$(nproc)" >&2
      rm -f "$run_dir/source.ppm"
      mv "$run_dir/master.jp2" "$master" ;;
    vellum)
      # speed.sh's single-tile 8000x6000 image (our encoder, archive profile), made the same way if speed.sh has not.
      local speed=$WORK/images/single-${WIDTH}x${HEIGHT}.jp2
      if [ ! -s "$speed" ]; then
        echo "Making $(basename "$speed") with our encoder (once)..." >&2
        (cd "$root" && mvn -q -B -pl servlet -am -Pbench -DskipTests test-compile dependency:build-classpath \
           -Dmdep.includeScope=test -Dmdep.outputFile="$run_dir/cp.txt" >&2)
        mkdir -p "$WORK/images"
        local build=$root/servlet/target/bench-build
        java -Xmx1g -cp "$build/test-classes:$build/classes:$(cat "$run_dir/cp.txt")" org.vellum.bench.SpeedImages \
          "$speed" "$WIDTH" "$HEIGHT" single >&2
      fi
      cp "$speed" "$master.partial"
      mv "$master.partial" "$master" ;;
    *) echo "ENCODERS: unknown encoder $1 (opj, vellum)" >&2; exit 2 ;;
  esac
}
copies() {  # encoder count: WORK/many/ENCODER/m000.jp2 .. real copies of the master, made or refreshed as needed
  local master dir size need=0 k f
  master=$(master_of "$1")
  dir=$many/$1
  mkdir -p "$dir"
  size=$(stat -c %s "$master")
  for ((k = 0; k < $2; k++)); do
    f=$(printf '%s/m%03d.jp2' "$dir" "$k")
    [ -f "$f" ] && [ "$(stat -c %s "$f")" = "$size" ] && [ "$f" -nt "$master" ] || need=$((need + 1))
  done
  [ "$need" -eq 0 ] && return 0
  local avail
  avail=$(df -B1 --output=avail "$dir" | tail -1)
  if [ $((need * size + 2 * 1024 * 1024 * 1024)) -gt "$avail" ]; then
    echo "Not enough disk for $need copies of $((size / 1024 / 1024)) MB in $dir (2 GB must stay free):" >&2
    df -h "$dir" >&2
    exit 1
  fi
  echo "Copying $(basename "$master") $need times into $dir..." >&2
  for ((k = 0; k < $2; k++)); do
    f=$(printf '%s/m%03d.jp2' "$dir" "$k")
    [ -f "$f" ] && [ "$(stat -c %s "$f")" = "$size" ] && [ "$f" -nt "$master" ] && continue
    cp "$master" "$f.partial"
    mv "$f.partial" "$f"
  done
}
most=0
for w in $WORKLOADS; do
  if [ "$w" = many ]; then for n in $N; do [ "$n" -gt "$most" ] && most=$n; done; fi
  if [ "$w" = sessions ] && [ "$SESSION_IMAGES" -gt "$most" ]; then most=$SESSION_IMAGES; fi
done
warm_first=$most   # the warm-up copies come after every measured one
[ "$WARMUP" -gt 0 ] && most=$((most + WARMUP_IMAGES))
for enc in $ENCODERS; do
  make_master "$enc"
  copies "$enc" "$most"
done

# --- 2. servers: started fresh for every run, one at a time ----------------------------------------------------------
forget() {  # pid: no longer stopped by bench_cleanup (it was stopped here; its number may be reused)
  local keep=() p
  for p in "${pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  pids=("${keep[@]}")
}
stop() {  # pid...: TERM, up to 10 s, then KILL
  local p i
  for p in "$@"; do kill "$p" 2>/dev/null || true; done
  for p in "$@"; do
    for ((i = 0; i < 100; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
    forget "$p"
  done
}

# Sets url, server_pids (the processes measured: Vellum's JVM, or iipsrv's FastCGI processes) and stop_pids.
start_vellum() {  # images-folder
  local port env_args=() word tmp=""
  port=$(free_port)
  for word in $VELLUM_ENV; do
    if [[ "$word" == *@TMP@* ]]; then
      [ -n "$tmp" ] || tmp=$(mktemp -d "$run_dir/vellum-tmp.XXXXXX")
      word=${word//@TMP@/$tmp}
    fi
    env_args+=("$word")
  done
  # As speed.sh: quality 75, all layers, no cache of encoded tiles.
  env -u FILESYSTEM_PREFIX -u FILESYSTEM_SUFFIX -u PORT -u URI_MAP -u CORS \
    JAVA_OPTS="-Xmx$HEAP ${JAVA_OPTS:-}" JPEG_QUALITY=75 MAX_LAYERS=-1 MAX_IMAGE_CACHE_SIZE=0 VERBOSITY=1 \
    "${env_args[@]}" "$root/bin/vellum" --images "$1" --port "$port" --host 127.0.0.1 >>"$run_dir/vellum.log" 2>&1 &
  local vpid=$!
  pids+=("$vpid")
  url="http://127.0.0.1:$port"
  wait_for Vellum "$url/" 120 200
  # bin/vellum ends in `exec java`, so the background job's pid is the JVM's; look one level down in case that changes.
  local jpid=$vpid
  if [ "$(cat "/proc/$vpid/comm" 2>/dev/null)" != java ]; then
    jpid=$(ps -o pid= --ppid "$vpid" | head -1 | tr -d ' ')
    [ "$(cat "/proc/$jpid/comm" 2>/dev/null)" = java ] || { echo "no JVM found under pid $vpid" >&2; exit 1; }
  fi
  server_pids=("$jpid")
  stop_pids=("$vpid")
}
start_reference() {  # images-folder
  local hport fport
  hport=$(free_port); fport=$(free_port)
  rm -f "$run_dir/fcgi.pid"
  start_iipsrv "$run_dir" "$1" "$hport" "$fport" "$PROCESSES"
  url="http://127.0.0.1:$hport"
  wait_for iipsrv "$url$FCGI_PATH" 30 400   # iipsrv itself (nginx alone would say 502)
  mapfile -t server_pids <"$run_dir/fcgi.pid"
  stop_pids=("${server_pids[@]}" "${pids[-1]}")   # start_iipsrv appended nginx's pid
}
stop_server() {  # the one start_vellum or start_reference started
  stop "${stop_pids[@]}"
  rm -f "$run_dir/fcgi.pid"   # bench_cleanup would otherwise signal these numbers again on exit
}

field() {  # file name: the number after "name:" in a /proc file, 0 when the process is gone
  local v
  v=$(awk -v k="$2:" '$1 == k {print $2}' "$1" 2>/dev/null || true)
  echo "${v:-0}"
}
rss_kb() { local p s=0; for p in "$@"; do s=$((s + $(field "/proc/$p/status" VmRSS))); done; echo "$s"; }
written() {  # pid...: "write_bytes cancelled_write_bytes", summed
  local p w=0 c=0
  for p in "$@"; do
    w=$((w + $(field "/proc/$p/io" write_bytes)))
    c=$((c + $(field "/proc/$p/io" cancelled_write_bytes)))
  done
  echo "$w $c"
}
cpu_ticks() {  # pid...: user + system CPU time of the processes so far, in clock ticks, summed
  local p s=0 f
  for p in "$@"; do
    f=$(cut -d')' -f2 "/proc/$p/stat" 2>/dev/null) || continue
    read -r _ _ _ _ _ _ _ _ _ _ _ ut st _ <<<"$f"
    s=$((s + ut + st))
  done
  echo "$s"
}
sample_rss() {  # file pid...: the largest sum of the pids' VmRSS (KB), written to file, every 0.5 s until stopped
  local file=$1 peak=0 now
  shift
  while :; do
    now=$(rss_kb "$@")
    [ "$now" -gt "$peak" ] && { peak=$now; echo "$peak" >"$file"; }
    sleep 0.5
  done
}
prepare_page_cache() {  # folder count
  local k
  if [ "$PAGE_CACHE" = cold ]; then
    sync
    echo 1 >/proc/sys/vm/drop_caches
  else
    for ((k = 0; k < $2; k++)); do cat "$(printf '%s/m%03d.jp2' "$1" "$k")"; done >/dev/null
    if [ "$WARMUP" -gt 0 ]; then
      for ((k = warm_first; k < warm_first + WARMUP_IMAGES; k++)); do cat "$(printf '%s/m%03d.jp2' "$1" "$k")"; done \
        >/dev/null
    fi
  fi
}

# --- 3. the runs ------------------------------------------------------------------------------------------------------
# Every image of a set has the master's geometry; iipsrv's own answer for the master (a throwaway iipsrv, so no
# measured server has seen any image) gives the level and tile sizes both servers serve.
geometry() {  # encoder: sets geo to "W H TW TH RESOLUTIONS"
  local m fif
  fif=$(basename "$(master_of "$1")")
  start_reference "$many"
  m=$(curl -s "$url$FCGI_PATH?FIF=$fif&obj=IIP,1.0&obj=Max-size&obj=Tile-size&obj=Resolution-number")
  stop_server
  geo="$(sed -n 's/^Max-size:\([0-9]*\) \([0-9]*\).*/\1 \2/p' <<<"$m")"
  geo="$geo $(sed -n 's/^Tile-size:\([0-9]*\) \([0-9]*\).*/\1 \2/p' <<<"$m")"
  geo="$geo $(sed -n 's/^Resolution-number:\([0-9]*\).*/\1/p' <<<"$m")"
}

results_many=$run_dir/many.txt
results_sessions=$run_dir/sessions.txt
resources=$run_dir/resources.txt
: >"$results_many"; : >"$results_sessions"; : >"$resources"
# run workload row server folder count: one measured run; appends its RESULT line and its resources line.
run() {
  local workload=$1 row=$2 server=$3 folder=$4 count=$5 out w0 c0 w1 c1 t0 t1 sampler died=no
  echo "  $workload $row, $server..." >&2
  prepare_page_cache "$folder" "$count"
  if [ "$server" = vellum ]; then start_vellum "$folder"; else start_reference "$folder"; fi
  local prefix="$FCGI_PATH?FIF=m%03d.jp2"
  if [ "$WARMUP" -gt 0 ]; then
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${WARMUP}s" --timeout 30s -s "$root/bench/tiles.lua" "$url" -- \
      "$prefix" $geo "$((SEED + 1000))" "$MAX_REQUESTS" "$WARMUP_IMAGES" "$warm_first" >/dev/null 2>&1 || true
  fi
  read -r w0 c0 < <(written "${server_pids[@]}")
  # CPU: the measured processes and, for iipsrv, nginx in front of them (stop_pids), each counted once
  local cpu_pids
  mapfile -t cpu_pids < <(printf '%s\n' "${server_pids[@]}" "${stop_pids[@]}" | sort -u)
  t0=$(cpu_ticks "${cpu_pids[@]}")
  sample_rss "$run_dir/peak" "${server_pids[@]}" &
  sampler=$!
  pids+=("$sampler")
  if [ "$workload" = many ]; then
    out=$(wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --timeout 30s -s "$root/bench/tiles.lua" "$url" -- \
      "$prefix" $geo "$SEED" "$MAX_REQUESTS" "$count" 2>&1 || true)
  else
    out=$(wrk -t "$SESSIONS" -c "$SESSIONS" -d "${SESSION_DURATION}s" --timeout 30s -s "$root/bench/sessions.lua" \
      "$url" -- \
      "$prefix" "$count" $geo "$SEED" "$MAX_REQUESTS" "$ZIPF_S" "$window_w" "$window_h" "$ZOOMS" "$PANS" \
      "$REPEAT" 2>&1 || true)
  fi
  read -r w1 c1 < <(written "${server_pids[@]}")
  t1=$(cpu_ticks "${cpu_pids[@]}")
  for p in "${server_pids[@]}"; do kill -0 "$p" 2>/dev/null || died=yes; done
  stop "$sampler"
  [ "$died" = yes ] && echo "warning: a $server process died during $workload $row" >&2
  stop_server
  local result sessions
  result=$(grep '^RESULT' <<<"$out" || { echo "wrk said: $out" >&2; echo "RESULT 0 1 0 0 0 0 0"; })
  sessions=$(sed -n 's/^SESSIONS //p' <<<"$out")
  local conns=$CONNECTIONS
  [ "$workload" = sessions ] && conns=$SESSIONS
  if [ "$workload" = many ]; then echo "$row $conns $server $result" >>"$results_many"
  else echo "$row $conns $server $result" >>"$results_sessions"; fi
  local peak
  peak=$(cat "$run_dir/peak" 2>/dev/null || echo 0)
  local served
  served=$(awk '{print $2}' <<<"$result")
  echo "$workload $row $server $peak $((w1 - w0)) $((c1 - c0)) ${sessions:--} $died $((t1 - t0)) ${served:-0}" \
    >>"$resources"
  rm -f "$run_dir/peak"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for enc in $ENCODERS; do
  geometry "$enc"
  read -r _ _ _ _ resolutions <<<"$geo"
  [ -n "$resolutions" ] || { echo "unexpected metadata from iipsrv for $(master_of "$enc"): $geo" >&2; exit 1; }
  for w in $WORKLOADS; do
    if [ "$w" = many ]; then
      for n in $N; do
        for server in iipsrv vellum; do run many "$enc:$n" "$server" "$many/$enc" "$n"; done
      done
    else
      for server in iipsrv vellum; do run sessions "$enc:$SESSION_IMAGES" "$server" "$many/$enc" "$SESSION_IMAGES"; done
    fi
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- 4. report ------------------------------------------------------------------------------------------------------
encoder=$(grep -o 'JPEG encoder: [A-Za-z]*' "$run_dir/vellum.log" | head -1 | cut -d' ' -f3)
echo
echo "Many-images run $(date -u +%Y-%m-%dT%H:%MZ), commit $(cd "$root" && git rev-parse --short HEAD), $(nproc) cores,"
echo "load average before $load_before, after $load_after (the machine may be shared: read the ratios, not the"
echo "absolutes)."
sizes=$(for e in $ENCODERS; do echo "$e $(($(stat -c %s "$(master_of "$e")") / 1000000)) MB"; done \
  | paste -sd, | sed 's/,/, /g')
echo "Images: copies of one ${WIDTH}x${HEIGHT} single-tile file per encoder ($sizes), served as $geo"
echo "(W H tile resolutions)."
echo "iipsrv 1.1: $PROCESSES FastCGI processes behind nginx, MAX_IMAGE_CACHE_SIZE=0. Vellum: OSGi runtime, -Xmx$HEAP,"
echo "JPEG by ${encoder:-?}, MAX_IMAGE_CACHE_SIZE=0${VELLUM_ENV:+, $VELLUM_ENV}. Quality 75, all layers."
if [ "$WARMUP" -gt 0 ]; then warmup="then $WARMUP s of warm-up on $WARMUP_IMAGES other copies"; else warmup="no warm-up"; fi
echo "Each server fresh per run, $warmup, page cache $PAGE_CACHE; ${DURATION} s per run (sessions"
echo "${SESSION_DURATION} s); seed $SEED."
if [ -s "$results_many" ]; then
  echo
  echo "Workload many: random JTL tiles, image uniform among the first N copies, then level, then tile; $CONNECTIONS"
  echo "connections, $THREADS wrk threads. Row enc:N = N copies of the encoder's file."
  ratio_table "$results_many" "$((MAX_REQUESTS * THREADS))" enc:N 10 tiles/s \
    "note: a run reached MAX_REQUESTS and stopped early; its tiles/s is understated."
fi
if [ -s "$results_sessions" ]; then
  echo
  echo "Workload sessions: $SESSIONS viewers (one connection each), Zipf s=$ZIPF_S over N copies (row enc:N), window"
  echo "${window_w}x${window_h}: metadata, home level, $ZOOMS zoom steps, $PANS pans per session; sessions repeat after"
  echo "${REPEAT:-0} per viewer (0: never); req/s counts the"
  echo "metadata requests too."
  ratio_table "$results_sessions" "$((MAX_REQUESTS * SESSIONS))" enc:N 10 req/s \
    "note: a run reached MAX_REQUESTS and stopped early; its req/s is understated."
fi
echo
echo "Resources while loaded: peak RSS (iipsrv: sum of its FastCGI processes), bytes written to files (write_bytes,"
echo "temporary files included) and the part of them cancelled, deleted before writeback (cancelled_write_bytes), and"
echo "CPU time (user + system; iipsrv: its FastCGI processes and nginx) per request served: on a shared machine this"
echo "varies less than tiles/s, and the ratio of the two servers' CPU per request bounds their ratio on a quiet one."
awk -v hz="$(getconf CLK_TCK)" '{ printf "  %-8s %-10s %-6s peak RSS %6.0f MB, wrote %8.1f MB (cancelled %6.1f MB), CPU %6.1f ms/request%s%s\n",
         $1, $2, $3, $4 / 1024, $5 / 1e6, $6 / 1e6, ($10 > 0 ? $9 * 1000 / hz / $10 : 0),
         ($7 != "-" ? ", " $7 " sessions started" : ""), ($8 == "yes" ? ", DIED during the run" : "") }' "$resources"
if awk '{ if ($10 + $11 > 0) bad = 1 } END { exit !bad }' "$results_many" "$results_sessions"; then
  echo "warning: some requests failed (errors column); the servers' logs were in $run_dir (removed on exit)." >&2
fi
echo
echo "The run took $((($(date +%s) - run_start) / 60)) min $((($(date +%s) - run_start) % 60)) s."
