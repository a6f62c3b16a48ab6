#!/usr/bin/env bash
# Append throughput of the partition log next to raw FileChannel writes on the same disk, same run.
#
#   bench/log-append.sh                      # default JMH settings of LogAppendBenchmark
#   bench/log-append.sh -wi 1 -i 3 -r 2s     # any JMH options are passed through
#   BENCH_DIR=/mnt/disk bench/log-append.sh  # measure another disk (default: the system temp dir)
#
# Prints MB/s for each case (batch size x fsync) and the ratio log/raw; exits 1 if a ratio is below
# MIN_RATIO (default 0.85).
#
# Before measuring, PREWARM_MB (default 6144) MB are written through the page cache and deleted: on a VM the
# first use of page-cache memory is slow, and since JMH runs every log iteration before any raw one, that
# warm-up would otherwise count against whichever runs first.
set -euo pipefail
cd "$(dirname "$0")/.."

MIN_RATIO="${MIN_RATIO:-0.85}"
BENCH_DIR="${BENCH_DIR:-${TMPDIR:-/tmp}}"
PREWARM_MB="${PREWARM_MB:-6144}"

# The same JDK 21+ lookup as bin/fjord and bin/test; building needs javac.
# shellcheck disable=SC2034  # read by java-home.sh
FJORD_NEED_JAVAC=1
# shellcheck source=bin/java-home.sh
. bin/java-home.sh || exit 2

./mvnw -B -q install -DskipTests -pl bench -am
./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
CSV=bench/target/log-append.csv

if (( PREWARM_MB > 0 )); then
  prewarm="$(mktemp -p "$BENCH_DIR" fjord-prewarm.XXXXXX)"
  for _ in 1 2; do
    dd if=/dev/zero of="$prewarm" bs=1M count=$(( PREWARM_MB / 2 )) status=none
    rm -f "$prewarm"
  done
fi

"$JAVA_HOME/bin/java" -cp "$CP" org.openjdk.jmh.Main LogAppendBenchmark \
  -jvmArgsAppend "-Dfjord.bench.dir=$BENCH_DIR" -rf csv -rff "$CSV" "$@"

echo
echo "Log append vs raw FileChannel on $(df -P "$BENCH_DIR" | awk 'NR==2 {print $1}') ($BENCH_DIR), $(nproc) CPUs"
awk -F, -v min="$MIN_RATIO" '
  { sub(/\r$/, "") }
  NR == 1 { for (i = 1; i <= NF; i++) { gsub(/"/, "", $i); col[$i] = i }; next }
  {
    for (i = 1; i <= NF; i++) gsub(/"/, "", $i)
    name = $col["Benchmark"]; sub(/.*\./, "", name)
    key = $col["Param: batchBytes"] " " $col["Param: fsync"]
    mbs[key, name] = $col["Score"] * $col["Param: batchBytes"] / 1e6
    if (!(key in seen)) { seen[key] = 1; order[++n] = key }
  }
  END {
    printf "%-8s %-6s %12s %12s %8s\n", "batch", "fsync", "log MB/s", "raw MB/s", "log/raw"
    bad = 0
    for (k = 1; k <= n; k++) {
      split(order[k], p, " ")
      ratio = mbs[order[k], "raw"] > 0 ? mbs[order[k], "log"] / mbs[order[k], "raw"] : 0
      flag = ratio < min ? "  < " min : ""
      if (ratio < min) bad = 1
      printf "%-8s %-6s %12.1f %12.1f %8.3f%s\n", p[1], p[2], mbs[order[k], "log"], mbs[order[k], "raw"], ratio, flag
    }
    exit bad
  }' "$CSV"
