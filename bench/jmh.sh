#!/usr/bin/env bash
# JMH benchmark of the decoder (servlet/src/bench/java, Maven profile "bench"; `mvn verify` never runs it).
#   bench/jmh.sh                 # Jp2ReaderBenchmark: pooled reader vs a fresh Jp2Reader.open per decode
#   bench/jmh.sh -f 1 -wi 1 -i 2 # any further arguments go to JMH (org.openjdk.jmh.Main)
# Equivalent by hand:
#   mvn -pl servlet -Pbench test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=cp.txt
#   (cd servlet && java -cp target/bench-build/test-classes:target/bench-build/classes:$(cat ../cp.txt) \
#      org.openjdk.jmh.Main Jp2ReaderBenchmark)
# The benchmark image (4096x3072, our encoder, archive profile) is made once in servlet/target/bench/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/bin/install-deps" runtime
out=$root/servlet/target/bench
mkdir -p "$out"
echo "Compiling the benchmarks (mvn -Pbench)..." >&2
(cd "$root" && mvn -q -B -pl servlet -am -Pbench -DskipTests test-compile dependency:build-classpath \
   -Dmdep.includeScope=test -Dmdep.outputFile="$out/test-classpath.txt" >&2)
build=$root/servlet/target/bench-build
cd "$root/servlet"
java -cp "$build/test-classes:$build/classes:$(cat "$out/test-classpath.txt")" org.openjdk.jmh.Main \
  Jp2ReaderBenchmark -rf csv -rff "$out/jmh.csv" "$@"

# Ratio per reduce: pooled / fresh (below 1 = the pool is faster).
echo
echo "Jp2ReaderBenchmark, ms per 256x256 tile decode (JMH average time):"
awk -F, 'NR > 1 {
    gsub(/"/, ""); split($1, n, "."); m = n[length(n)]; r = $NF
    s[r, m] = $5; e[r, m] = $6; seen[r] = 1
  }
  END {
    printf "  %-7s %16s %16s %14s\n", "reduce", "pooled", "fresh open", "pooled/fresh"
    for (r in seen) printf "  %-7s %9.2f ± %-4.2f %9.2f ± %-4.2f %14.2f\n", r, s[r, "pooledReader"], e[r, "pooledReader"], \
      s[r, "freshReaderPerDecode"], e[r, "freshReaderPerDecode"], s[r, "pooledReader"] / s[r, "freshReaderPerDecode"]
  }' "$out/jmh.csv"
