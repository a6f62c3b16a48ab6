#!/usr/bin/env bash
# bench/startup.sh [RUNS]: how long `bin/fjord server` takes from launch until it answers a client.
#
# Each run starts a fresh node (ephemeral port, empty data directory) through bin/fjord, exactly as a
# user would, and measures from the launch to:
#   ready     the "ready" log line (with the bound address) appearing on its output
#   metadata  the first Metadata request, sent over a new connection, being answered
# and, at that moment, the CPU time the node has used (user + system; steadier than wall-clock
# time on a busy machine) and its resident memory. Then it stops the node with SIGTERM and times
# the shutdown. One unmeasured warm-up run comes first (page
# cache, first-run work of the JVM); WARMUP=0 skips it.
#
# Prints one line per run and min/median/max of the metadata time. Exits 1 when the median is
# 1000 ms or more, or when a run fails.
#
# Environment: RUNS (default 10; an argument wins), WARMUP (default 1), LIMIT_MS (default 1000),
# FJORD_OPTS (passed on to the JVM by bin/fjord, to try other JVM options).
set -euo pipefail

runs=${1:-${RUNS:-10}}
warmup=${WARMUP:-1}
limit_ms=${LIMIT_MS:-1000}
case $runs in ''|*[!0-9]*|0) echo "usage: $0 [RUNS]  (RUNS a positive number)" >&2; exit 2 ;; esac

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)
fjord="$root/bin/fjord"

# Build the distribution first (as bin/fjord would on first use) so that no run includes a build.
lib="$root/fjord-cli/target/fjord/lib"
jars=("$lib"/*.jar)
if [ ! -e "${jars[0]}" ]; then
    # shellcheck disable=SC2034  # read by java-home.sh
    FJORD_NEED_JAVAC=1
    # shellcheck source=bin/java-home.sh
    . "$root/bin/java-home.sh" || exit 1
    echo "bench: building the distribution first ..." >&2
    (cd "$root" && MAVEN_OPTS="$FJORD_JDK_FLAGS ${MAVEN_OPTS:-}" ./mvnw -B -q -DskipTests package -pl fjord-cli -am) >&2
else
    # shellcheck source=bin/java-home.sh
    . "$root/bin/java-home.sh" || exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/fjord-bench.XXXXXX")
pid=""
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A file descriptor that never has input: `read -t` on it is a sleep without starting a process.
exec {nap_fd}<> <(:)
nap() { read -r -t "$1" -u "$nap_fd" _ || true; }

clk_tck=$(getconf CLK_TCK)

# Sets the variable named $1 to the current time in microseconds (no subshell, no process).
now_us() { printf -v "$1" '%s' "${EPOCHREALTIME/[.,]/}"; }

# One Metadata v4 request for all topics on a new connection; succeeds when a response with our
# correlation id comes back. Hand-built so the probe itself costs almost nothing:
#   size=26 | api_key=3 api_version=4 correlation_id=1 client_id="fjord-bench" | topics=null allow_auto_create=true
metadata_probe() {
    local port=$1 reply
    # shellcheck disable=SC2016  # expanded by the inner bash
    reply=$(timeout 5 bash -c '
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf "\x00\x00\x00\x1a\x00\x03\x00\x04\x00\x00\x00\x01\x00\x0bfjord-bench\xff\xff\xff\xff\x01" >&3
        head -c 8 <&3 | od -An -tu1' _ "$port" 2>/dev/null) || return 1
    # Bytes 0-3: response size (> 4); bytes 4-7: correlation id 1.
    read -r s0 s1 s2 s3 c0 c1 c2 c3 <<<"$reply" || return 1
    [ -n "${c3:-}" ] || return 1
    [ $(( (s0 << 24) | (s1 << 16) | (s2 << 8) | s3 )) -gt 4 ] && [ "$c0$c1$c2$c3" = 0001 ]
}

# One run; sets RUN_READY_MS RUN_META_MS RUN_CPU_MS RUN_RSS_MB RUN_STOP_MS, or fails with the node's output.
# (Runs in this shell, not in a subshell, so that the EXIT trap can always stop the node.)
one_run() {
    local n=$1 ready_timeout_s=${2:-30} data log t0 t_ready="" t_meta="" t_now line port="" rss="" t_stop t_end
    data="$work/data-$n"; log="$work/run-$n.log"
    mkdir -p "$data"
    now_us t0
    "$fjord" server --set listeners=PLAINTEXT://127.0.0.1:0 --set "log.dirs=$data" >"$log" 2>&1 </dev/null &
    pid=$!
    local deadline=$(( t0 + ready_timeout_s * 1000000 ))
    while :; do
        if line=$(grep -m 1 -w 'ready' "$log" 2>/dev/null); then
            now_us t_ready
            break
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "bench: run $n: the node exited before it was ready; its output:" >&2; cat "$log" >&2; return 1
        fi
        now_us t_now
        if [ "$t_now" -gt "$deadline" ]; then
            echo "bench: run $n: no ready line after ${ready_timeout_s}s; output so far:" >&2; cat "$log" >&2; return 1
        fi
        nap 0.005
    done
    # The first host:port after the word "ready" is the bound address.
    if [[ $line =~ [Rr][Ee][Aa][Dd][Yy](.*) ]] && [[ ${BASH_REMATCH[1]} =~ (^|[^0-9A-Za-z])([0-9A-Za-z._-]+|\[[0-9A-Fa-f:]+\]):([0-9]+) ]]; then
        port=${BASH_REMATCH[3]}
    else
        echo "bench: run $n: cannot find host:port in the ready line: $line" >&2; return 1
    fi
    until metadata_probe "$port"; do
        now_us t_now
        if ! kill -0 "$pid" 2>/dev/null || [ "$t_now" -gt "$deadline" ]; then
            echo "bench: run $n: Metadata on port $port was never answered; output:" >&2; cat "$log" >&2; return 1
        fi
        nap 0.005
    done
    now_us t_meta
    rss=$(awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo "?")
    local st=()
    read -r -a st <"/proc/$pid/stat" || true
    RUN_CPU_MS=$(( (${st[13]:-0} + ${st[14]:-0}) * 1000 / clk_tck ))
    now_us t_stop
    kill -TERM "$pid"
    local waited=0
    while kill -0 "$pid" 2>/dev/null; do
        if [ "$waited" -ge 2000 ]; then
            echo "bench: run $n: still running 10 s after SIGTERM; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        nap 0.005; waited=$((waited + 1))
    done
    wait "$pid" 2>/dev/null || true
    now_us t_end
    pid=""
    rm -rf "$data"
    RUN_READY_MS=$(( (t_ready - t0) / 1000 ))
    RUN_META_MS=$(( (t_meta - t0) / 1000 ))
    RUN_RSS_MB=$rss
    RUN_STOP_MS=$(( (t_end - t_stop) / 1000 ))
}

echo "bench: startup of bin/fjord server, $runs runs (+$warmup warm-up), Java $FJORD_JAVA_MAJOR at $JAVA_HOME, $(nproc) CPUs${FJORD_OPTS:+, FJORD_OPTS=$FJORD_OPTS}"
for ((i = 1; i <= warmup; i++)); do
    one_run "w$i" 180   # may include bin/fjord preparing its startup cache after a build
done
# Which startup cache bin/fjord uses (same rule as there).
case ${FJORD_STARTUP_CACHE:-auto} in
    off) cache_mode=off ;;
    cds) cache_mode=cds ;;
    *) if [ "$FJORD_JAVA_MAJOR" -ge 25 ]; then cache_mode=aot; else cache_mode=cds; fi ;;
esac
cache_file="$root/fjord-cli/target/fjord/startup-cache/${JAVA_HOME//[^A-Za-z0-9._-]/_}.$cache_mode"
if [ "$cache_mode" = off ]; then
    cache_note="off (FJORD_STARTUP_CACHE=off)"
elif [ -s "$cache_file" ]; then
    cache_note="$cache_mode (${cache_file#"$root"/})"
else
    cache_note="none (bin/fjord could not prepare one)"
fi
echo "bench: JVM startup cache: $cache_note"
printf '%4s %9s %12s %7s %7s %8s\n' run ready_ms metadata_ms cpu_ms rss_mb stop_ms
results=()
for ((i = 1; i <= runs; i++)); do
    one_run "$i"
    printf '%4d %9d %12d %7d %7s %8d\n' "$i" "$RUN_READY_MS" "$RUN_META_MS" "$RUN_CPU_MS" "$RUN_RSS_MB" "$RUN_STOP_MS"
    results+=("$RUN_META_MS")
done

mapfile -t sorted < <(printf '%s\n' "${results[@]}" | sort -n)
count=${#sorted[@]}
if (( count % 2 )); then
    median=${sorted[count / 2]}
else
    median=$(( (sorted[count / 2 - 1] + sorted[count / 2]) / 2 ))
fi
echo "startup to first Metadata answer: min ${sorted[0]} ms, median $median ms, max ${sorted[count - 1]} ms (limit: median < $limit_ms ms)"
if (( median >= limit_ms )); then
    echo "bench: FAIL: median startup $median ms is not under $limit_ms ms" >&2
    exit 1
fi
