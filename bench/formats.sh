#!/usr/bin/env bash
# JPEG (TurboJPEG) vs WebP vs AVIF per tile: encode time (JMH, OutputFormatsBenchmark, sample mode) of a 256x256 and a
# 1024x1024 tile of the benchmark image at the default settings, with each output's bytes and mean error (decoded by
# ImageIO, dwebp and avifdec), then a Markdown table. Usage: bench/formats.sh [JMH arguments]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/bin/install-deps" test
log=$root/servlet/target/bench/formats.log
mkdir -p "$(dirname "$log")"
BENCH=OutputFormatsBenchmark "$root/bench/jmh.sh" "$@" | tee "$log"
echo
echo "$(date -u +%F), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| tile | format | median ms | fastest ms | bytes | mean error (0-255) |"
echo "|---|---|---|---|---|---|"
awk '{ sub(/\r$/, "") }
  FILENAME ~ /csv$/ {
       n = split($0, f, ","); for (i = 1; i <= n; i++) gsub(/"/, "", f[i])
       if (FNR == 1) { for (i = 1; i <= n; i++) { if (f[i] == "Param: format") fc = i; if (f[i] == "Param: size") sc = i }; next }
       if (f[1] ~ /p0\.50$/) med[f[sc], f[fc]] = f[5]
       if (f[1] ~ /p0\.00$/) low[f[sc], f[fc]] = f[5]
       next }
  /^FORMATS / { bytes[$2, $3] = $4; err[$2, $3] = $5; order[++m] = $2 " " $3 }
  END { for (i = 1; i <= m; i++) { split(order[i], k, " ")
          printf "| %sx%s | %s | %.2f | %.2f | %d | %s |\n", k[1], k[1], k[2], med[k[1], k[2]], low[k[1], k[2]],
            bytes[k[1], k[2]], err[k[1], k[2]] } }' \
  "$root/servlet/target/bench/jmh.csv" "$log"
