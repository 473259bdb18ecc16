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
