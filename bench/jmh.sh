#!/usr/bin/env bash
# Runs Fjord's JMH microbenchmarks (module fjord-bench, sources in bench/src) with any JMH options.
#
#   bench/jmh.sh                                  # every benchmark, with its own JMH settings
#   bench/jmh.sh BatchValidation                  # those whose name matches a regular expression
#   bench/jmh.sh ProduceCodec -p partitions=8     # JMH options pass through (-wi, -i, -f, -p, -prof gc ...)
#   bench/jmh.sh -l                               # list them
#
# The benchmarks of the hot paths: ProduceCodecBenchmark (request read, response write),
# BatchValidationBenchmark (header, CRC32C, record walk), LogAppendBenchmark (append vs raw file; its own
# script bench/log-append.sh prints the ratio), FetchReadBenchmark (offset lookup and sendfile of a slice).
# Files go to fjord.bench.dir: BENCH_DIR, default the system temp dir.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_DIR="${BENCH_DIR:-${TMPDIR:-/tmp}}"

# shellcheck disable=SC2034  # read by java-home.sh
FJORD_NEED_JAVAC=1
# shellcheck source=bin/java-home.sh
. bin/java-home.sh || exit 2

# Packaged in the reactor, so the classpath names this checkout's jars rather than anything in ~/.m2.
./mvnw -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -pl bench -am
CP="bench/target/classes:$(cat bench/target/classpath.txt)"

exec "$JAVA_HOME/bin/java" -cp "$CP" org.openjdk.jmh.Main -jvmArgsAppend "-Dfjord.bench.dir=$BENCH_DIR" "$@"
