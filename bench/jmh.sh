#!/usr/bin/env bash
# JMH benchmarks of the hot path (servlet/src/bench/java, Maven profile "bench"; `mvn verify` never runs them):
#   Jp2ReaderBenchmark   a 256x256 tile through the pooled reader vs a fresh Jp2Reader.open per decode
#   DecodeLevelBenchmark a 256x256 output tile at each level (reduce 0..4): area decode alone, and decode + pixels + JPEG
#   TileStepsBenchmark   header open, decoded samples to pixels, JPEG by TurboJPEG and by ImageIO, scaling
#   IccBenchmark         (on demand: BENCH=IccBenchmark) a tile's JPEG with its ICC profile embedded vs converted to sRGB
# Usage:
#   bench/jmh.sh                               # all three, with their own warm-up/measurement settings
#   BENCH=TileSteps bench/jmh.sh -wi 1 -i 2    # BENCH: a regular expression of benchmarks; further arguments go to JMH
# Equivalent by hand:
#   mvn -pl servlet -Pbench test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=cp.txt
#   (cd servlet && java -cp target/bench-build/test-classes:target/bench-build/classes:$(cat ../cp.txt) \
#      org.openjdk.jmh.Main Jp2ReaderBenchmark)
# The benchmark image (4096x3072, our encoder, archive profile) is made once in servlet/target/bench/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=${BENCH:-"Jp2ReaderBenchmark|DecodeLevelBenchmark|TileStepsBenchmark"}
"$root/bin/install-deps" runtime
out=$root/servlet/target/bench
mkdir -p "$out"
echo "Compiling the benchmarks (mvn -Pbench)..." >&2
(cd "$root" && mvn -q -B -pl servlet -am -Pbench -DskipTests test-compile dependency:build-classpath \
   -Dmdep.includeScope=test -Dmdep.outputFile="$out/test-classpath.txt" >&2)
build=$root/servlet/target/bench-build
cd "$root/servlet"
java -cp "$build/test-classes:$build/classes:$(cat "$out/test-classpath.txt")" org.openjdk.jmh.Main \
  "$BENCH" -rf csv -rff "$out/jmh.csv" "$@"

# One line per benchmark and parameter, then the ratios the issue asks about.
echo
echo "JMH average time per operation ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)):"
awk -F, '{ sub(/\r$/, "") }
  NR == 1 { for (i = 1; i <= NF; i++) { gsub(/"/, "", $i); if ($i == "Param: reduce") rc = i }; next }
  {
    gsub(/"/, ""); n = split($1, part, "."); cls = part[n - 1]; m = part[n]; r = rc ? $rc : ""
    key = cls "." m (r != "" ? " reduce=" r : "")
    printf "  %-52s %10.3f ± %-8.3f %s\n", key, $5, $6, $7
    s[cls, m, r] = $5; u[cls, m, r] = $7; if (r != "") seen[r] = 1
  }
  END {
    if ((("TileStepsBenchmark", "jpegTurboJpeg", "") in s) && (("TileStepsBenchmark", "jpegImageIo", "") in s))
      printf "\n  JPEG encode of a 256x256 tile, TurboJPEG / ImageIO: %.2f\n", \
        s["TileStepsBenchmark", "jpegTurboJpeg", ""] / s["TileStepsBenchmark", "jpegImageIo", ""]
    for (r in seen) {
      if ((("Jp2ReaderBenchmark", "pooledReader", r) in s) && (("Jp2ReaderBenchmark", "freshReaderPerDecode", r) in s))
        printf "  reduce %s: pooled / fresh reader %.2f\n", r, \
          s["Jp2ReaderBenchmark", "pooledReader", r] / s["Jp2ReaderBenchmark", "freshReaderPerDecode", r]
      if ((("DecodeLevelBenchmark", "decode", r) in s) && (("DecodeLevelBenchmark", "decodeConvertEncode", r) in s))
        printf "  reduce %s: decode + pixels + JPEG = %.2f ms, of which decode %.0f %%\n", r, \
          s["DecodeLevelBenchmark", "decodeConvertEncode", r], \
          100 * s["DecodeLevelBenchmark", "decode", r] / s["DecodeLevelBenchmark", "decodeConvertEncode", r]
    }
  }' "$out/jmh.csv"
