# Sourced by bench/load.sh and bench/speed.sh: a scratch folder cleaned up on exit, free loopback ports, and the
# reference iipsrv 1.1 behind nginx on loopback, as ReferenceIipsrv in the tests runs it.

# bench_start_dir NAME: a fresh folder in $bench_dir; on exit every process in the pids array (and in
# $bench_dir/fcgi.pid) is stopped and the folder removed.
bench_start_dir() {
  bench_dir=$(mktemp -d "${TMPDIR:-/tmp}/vellum-$1.XXXXXX")
  pids=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  local p
  for p in "${pids[@]}" $(cat "$bench_dir/fcgi.pid" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
  sleep 1
  for p in "${pids[@]}" $(cat "$bench_dir/fcgi.pid" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$bench_dir"
}

# free_port: a loopback TCP port nobody listens on and this script has not handed out yet.
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    [[ " ${taken:-} " == *" $p "* ]] && continue
    ss -Htln "sport = :$p" | grep -q . || { taken="${taken:-} $p"; echo "$p"; return; }
  done
}
#
# nginx_head DIR NAME: prints the start of an nginx.conf for an nginx in the foreground whose files stay in DIR (log
# and pid named after NAME), up to and into "http {"; the caller adds its upstreams and servers and the closing brace.
nginx_head() {
  local dir=$1 name=$2
  mkdir -p "$dir/tmp"
  cat <<CONF
$([ "$(id -u)" -eq 0 ] && echo "user root;")
daemon off;
master_process off;
worker_processes 1;
error_log $dir/$name-error.log;
pid $dir/$name.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/tmp; fastcgi_temp_path $dir/tmp; proxy_temp_path $dir/tmp;
  uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;
CONF
}
#
# start_iipsrv DIR IMAGES HTTP_PORT FCGI_PORT PROCESSES: writes DIR/nginx.conf, spawns PROCESSES iipsrv FastCGI
# processes (pids in DIR/fcgi.pid) and starts nginx in the background; appends nginx's pid to the caller's pids array.
# Expects IIPSRV (the binary) and FCGI_PATH (the URL path, e.g. /fcgi-bin/iipsrv.fcgi) to be set.
start_iipsrv() {
  local dir=$1 images=$2 hport=$3 fport=$4 processes=$5
  { nginx_head "$dir" nginx; cat <<CONF
  server {
    listen 127.0.0.1:$hport;
    location $FCGI_PATH {
      # No upstream keepalive: a kept connection would tie up one of the single-threaded iipsrv processes.
      fastcgi_pass 127.0.0.1:$fport;
      fastcgi_param QUERY_STRING \$query_string;
      fastcgi_param REQUEST_METHOD \$request_method; fastcgi_param REQUEST_URI \$request_uri;
      fastcgi_param SERVER_NAME \$server_name; fastcgi_param SERVER_PORT \$server_port;
      fastcgi_param SERVER_PROTOCOL \$server_protocol; fastcgi_param HTTP_HOST \$http_host;
    }
  }
}
CONF
  } >"$dir/nginx.conf"
  # A clean environment: MAX_IMAGE_CACHE_SIZE=0 so iipsrv's tile cache never answers from memory, unless the caller
  # sets IIPSRV_CACHE (MB, iipsrv's default is 10) to compare caches.
  env -i PATH="$PATH" FILESYSTEM_PREFIX="$(cd "$images" && pwd -P)/" VERBOSITY=0 LOGFILE="$dir/iipsrv.log" \
    MAX_IMAGE_CACHE_SIZE="${IIPSRV_CACHE:-0}" MAX_LAYERS=-1 JPEG_QUALITY=75 MAX_CVT=5000 \
    spawn-fcgi -a 127.0.0.1 -p "$fport" -F "$processes" -P "$dir/fcgi.pid" -- "$IIPSRV" >"$dir/spawn-fcgi.log" 2>&1
  nginx -p "$dir" -e "$dir/nginx-error.log" -c "$dir/nginx.conf" >"$dir/nginx.log" 2>&1 &
  pids+=($!)
}

# ratio_table RESULTS CAP LABEL WIDTH UNIT NOTE: prints the Vellum/iipsrv table of RESULTS, whose lines are
# "<row> <conns> <iipsrv|vellum> RESULT ..." (cycle.lua's RESULT fields); LABEL heads the first column (WIDTH wide),
# UNIT names the rate (tiles/s, req/s), NOTE is printed when a run reached CAP requests.
ratio_table() {
  awk -v cap="$2" -v label="$3" -v w="$4" -v unit="$5" -v note="$6" '
    { k = $1 " " $2; if (!(k in seen)) { order[++n] = k; seen[k] = 1 }
      rps[k, $3] = $5 / ($6 / 1e6); p50[k, $3] = $7 / 1000; p99[k, $3] = $8 / 1000
      err[k, $3] = $10 + $11; if ($5 >= cap) capped = 1 }
    END {
      c = "%-" w "s %5s | "
      printf c "%21s | %21s | %22s | %s\n", "", "", "iipsrv 1.1", "Vellum", "ratio Vellum/iipsrv", ""
      printf c "%7s %6s %6s | %7s %6s %6s | %6s %7s %7s | %s\n", label, "conns", unit, "p50ms", "p99ms", unit,
        "p50ms", "p99ms", unit, "p50", "p99", "errors i/V"
      for (j = 1; j <= n; j++) {
        k = order[j]; split(k, a, " ")
        printf c "%7.1f %6.1f %6.1f | %7.1f %6.1f %6.1f | %6.2f %7.2f %7.2f | %d/%d\n", a[1], a[2],
          rps[k, "iipsrv"], p50[k, "iipsrv"], p99[k, "iipsrv"], rps[k, "vellum"], p50[k, "vellum"], p99[k, "vellum"],
          rps[k, "iipsrv"] ? rps[k, "vellum"] / rps[k, "iipsrv"] : 0,
          p50[k, "iipsrv"] ? p50[k, "vellum"] / p50[k, "iipsrv"] : 0,
          p99[k, "iipsrv"] ? p99[k, "vellum"] / p99[k, "iipsrv"] : 0, err[k, "iipsrv"], err[k, "vellum"]
      }
      print unit " ratio > 1: Vellum serves more; latency ratio < 1: Vellum answers sooner. errors: non-2xx + socket."
      if (capped) print note
    }' "$1"
}

# code URL: the HTTP status the URL answers (000 when nothing answers).
# wait_for NAME URL SECONDS STATUS: until URL answers STATUS; otherwise prints the tail of $run_dir/*.log and exits.
code() { curl -s -o /dev/null -w '%{http_code}' "$1" || true; }
wait_for() {  # name url seconds status: until it answers with that status (the probes touch no image)
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    [ "$(code "$2")" = "$4" ] && return 0
    sleep 0.1
  done
  echo "$1 did not answer $2 within $3 s; logs:" >&2
  tail -n 20 "$run_dir"/*.log >&2 || true
  exit 1
}
