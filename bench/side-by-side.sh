#!/usr/bin/env bash
# bench/side-by-side.sh: Fjord and Apache Kafka on the same machine, the same workloads, as ratios.
#
# Builds what it needs (Fjord's distribution, the kafka-server-reference classpath with Kafka 4.3.1's
# broker and tools, a small client helper), starts a single-node Kafka (KRaft, broker and controller
# in one process, 1 GiB heap) and a Fjord node on free 127.0.0.1 ports with data in a temporary
# directory, and drives both with Kafka's own load tools (ProducerPerformance, ConsumerPerformance,
# EndToEndLatency) plus bench/side-by-side/BenchClient.java for what those tools do not measure:
#
#   W1  100-byte records, 1 partition, acks=1, unthrottled producer        records/s
#   W2  1 KiB records, 8 partitions, client defaults (acks=all, idempotent)  MB/s
#   W3  consume all that W2 wrote (ConsumerPerformance's fetch MB/s)         MB/s
#   W4  end-to-end latency at a fixed rate (5,000 records/s of 1 KiB)        p50, p99, p99.9 ms
#       and serial round trips (EndToEndLatency: send one, consume it, repeat) average ms
#   W5  create a 1,000-partition topic and write one record to each          ms
#
# plus startup (launch to first answered Metadata request), idle and peak resident memory, and the
# broker's CPU seconds per GB moved in each workload (from /proc/<pid>/stat).
#
# Method: every broker stays up for the whole run. Each round runs each workload on one broker and
# then on the other, back to back; the order is swapped every round, and there is an even number of
# rounds. A ratio (Fjord / Kafka) is taken per round, and the table shows the median of those ratios
# with their min-max. Beside the table: the CPU that processes other than the brokers and the load
# tools took during the measured runs; above ~20% of a core the figures are suspect.
#
# Environment (defaults in brackets; SMOKE=1 switches to tiny workloads for a check in a minute or two):
#   ROUNDS [4]               number of rounds, even
#   W1_RECORDS [3000000]     W2_RECORDS [1000000]    records of W1 and W2 (W3 reads W2's)
#   W4_RATE [5000]  W4_SECONDS [20]                  fixed-rate latency run (the first second is warm-up)
#   W4_SERIAL [1000]                                 serial round trips
#   W5_PARTITIONS [1000]
#   FSYNC [auto]             also run Fjord with group-commit fsync (FSYNC_SET): auto = if the node
#                            accepts the setting, 1 = required, 0 = no
#   FSYNC_SET [fjord.flush.group.commit=true]
#   KAFKA_HEAP_OPTS [-Xmx1G -Xms1G]   KAFKA_OPTS []  extra JVM options of the Kafka broker
#   FJORD_OPTS []            extra JVM options for Fjord (passed on by bin/fjord; by default none,
#                            so Fjord runs with bin/fjord's own GC and heap defaults)
#   IDLE_SECONDS [5]         wait after start before the idle memory is read
#   WORKLOADS [w1 w2 w3 w4 w4s w5]   a subset to run (w3 reads what w2 wrote in the same round)
#   WORK_DIR [a new directory under $TMPDIR]; KEEP_DATA=1 keeps the brokers' data there at the end
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)

# ---- parameters ----
smoke=${SMOKE:-0}
if [ "$smoke" = 1 ]; then
    d_rounds=2 d_w1=20000 d_w2=5000 d_w4s=3 d_w4serial=50 d_w5=50 d_idle=1
else
    d_rounds=4 d_w1=3000000 d_w2=1000000 d_w4s=20 d_w4serial=1000 d_w5=1000 d_idle=5
fi
rounds=${ROUNDS:-$d_rounds}
w1_records=${W1_RECORDS:-$d_w1}
w2_records=${W2_RECORDS:-$d_w2}
w4_rate=${W4_RATE:-5000}
w4_seconds=${W4_SECONDS:-$d_w4s}
w4_serial=${W4_SERIAL:-$d_w4serial}
w5_partitions=${W5_PARTITIONS:-$d_w5}
idle_seconds=${IDLE_SECONDS:-$d_idle}
fsync_mode=${FSYNC:-auto}
fsync_set=${FSYNC_SET:-fjord.flush.group.commit=true}
kafka_heap=${KAFKA_HEAP_OPTS:--Xmx1G -Xms1G}
export FJORD_OPTS=${FJORD_OPTS:-}

for v in rounds w1_records w2_records w4_rate w4_seconds w4_serial w5_partitions idle_seconds; do
    case ${!v} in ''|*[!0-9]*) echo "side-by-side: ${v^^} must be a whole number, not '${!v}'" >&2; exit 2 ;; esac
done
if [ "$rounds" -lt 2 ] || [ $((rounds % 2)) -ne 0 ]; then
    echo "side-by-side: ROUNDS must be even and at least 2 (the order alternates), not $rounds" >&2; exit 2
fi
case $fsync_mode in auto|0|1) ;; *) echo "side-by-side: FSYNC must be auto, 0 or 1" >&2; exit 2 ;; esac

log() { printf '%s side-by-side: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---- build what is missing ----
# shellcheck disable=SC2034  # read by java-home.sh: the helper is compiled here
FJORD_NEED_JAVAC=1
# shellcheck source=bin/java-home.sh
. "$root/bin/java-home.sh" || exit 1
java="$JAVA_HOME/bin/java"
mvn() { (cd "$root" && MAVEN_OPTS="$FJORD_JDK_FLAGS ${MAVEN_OPTS:-}" ./mvnw -B -q "$@") >&2; }

kafka_cp_file="$root/kafka-server-reference/target/kafka-server.classpath"
if [ ! -s "$kafka_cp_file" ] || [ "$root/kafka-server-reference/pom.xml" -nt "$kafka_cp_file" ]; then
    log "resolving Apache Kafka's broker and tools (kafka-server-reference; downloads them the first time) ..."
    mvn -pl kafka-server-reference generate-resources
fi
kafka_cp=$(<"$kafka_cp_file")
kafka_cp=${kafka_cp%$'\n'}
# Fjord's distribution: built when missing, and rebuilt when a main source file is newer than the
# newest of its own jars (so that a comparison does not run stale code by accident).
newest_jar=""
for jar in "$root"/fjord-cli/target/fjord/lib/fjord-*.jar; do
    if [ -e "$jar" ] && { [ -z "$newest_jar" ] || [ "$jar" -nt "$newest_jar" ]; }; then newest_jar=$jar; fi
done
if [ -z "$newest_jar" ] || [ -n "$(find "$root"/fjord-*/src/main -newer "$newest_jar" -type f -print -quit)" ]; then
    log "building Fjord's distribution ..."
    mvn -DskipTests package -pl fjord-cli -am
fi

work=${WORK_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/side-by-side.XXXXXX")}
mkdir -p "$work/classes" "$work/logs" "$work/out"
"$JAVA_HOME/bin/javac" -nowarn -d "$work/classes" -cp "$kafka_cp" "$root/bench/side-by-side/BenchClient.java"
results="$work/results.tsv"
: >"$results"

# ---- brokers: name -> pid, port, label ----
declare -A pid=() port=() startup_ms=() idle_rss=() peak_rss=() durability=()
brokers=()          # in start order
stopping=0
stop_all() {
    local b i
    for b in "${!pid[@]}"; do kill -TERM "${pid[$b]}" 2>/dev/null || true; done
    for ((i = 0; i < 300; i++)); do   # up to 30 s for clean shutdowns
        local alive=0
        for b in "${!pid[@]}"; do kill -0 "${pid[$b]}" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.1
    done
    for b in "${!pid[@]}"; do kill -KILL "${pid[$b]}" 2>/dev/null || true; wait "${pid[$b]}" 2>/dev/null || true; done
    pid=()
}
cleanup() {
    [ "$stopping" = 1 ] && return
    stopping=1
    stop_all
    if [ "${KEEP_DATA:-0}" != 1 ]; then rm -rf "$work"/data-*; fi
    log "logs and raw results are in $work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

clk_tck=$(getconf CLK_TCK)
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }

# A port nobody listens on (checked by connecting), from a range below the usual ephemeral ports.
# Sets the variable named $1.
declare -A taken_ports=()
free_port() {
    local candidate
    while :; do
        candidate=$((15000 + RANDOM % 15000))
        [ -n "${taken_ports[$candidate]:-}" ] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
            taken_ports[$candidate]=1; printf -v "$1" '%s' "$candidate"; return
        fi
    done
}

# One Metadata v4 request (all topics) on a new connection; true when the answer with our correlation
# id comes back. Hand-built, as in bench/startup.sh, so that probing costs next to nothing:
#   size=26 | api_key=3 api_version=4 correlation_id=1 client_id="fjord-bench" | topics=null auto_create=true
metadata_probe() {
    local reply s0 s1 s2 s3 c0 c1 c2 c3
    # shellcheck disable=SC2016  # expanded by the inner bash
    reply=$(timeout 5 bash -c '
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf "\x00\x00\x00\x1a\x00\x03\x00\x04\x00\x00\x00\x01\x00\x0bfjord-bench\xff\xff\xff\xff\x01" >&3
        head -c 8 <&3 | od -An -tu1' _ "$1" 2>/dev/null) || return 1
    read -r s0 s1 s2 s3 c0 c1 c2 c3 <<<"$reply" || return 1
    [ -n "${c3:-}" ] && [ $(( (s0 << 24) | (s1 << 16) | (s2 << 8) | s3 )) -gt 4 ] && [ "$c0$c1$c2$c3" = 0001 ]
}

# /proc readings. CPU in clock ticks (user + system) of one process, or of this script's reaped
# children (every tool runs as one and is waited for, so they all end up there).
# /proc/<pid>/stat after the ")" that ends the command name: state is [0], utime [11], stime [12],
# cutime [13], cstime [14] (fields 3, 14, 15, 16, 17 of proc(5)).
stat_fields() { local st; st=$(<"/proc/$1/stat"); read -r -a stat <<<"${st##*) }"; }
proc_cpu() { local stat; stat_fields "$1"; echo $(( stat[11] + stat[12] )); }
children_cpu() { local stat; stat_fields $$; echo $(( stat[13] + stat[14] )); }
total_busy() { local cpu u n s i w q sq st rest; read -r cpu u n s i w q sq st rest </proc/stat; echo $((u + n + s + q + sq + st)); }
mem_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
brokers_cpu() { local b sum=0; for b in "${!pid[@]}"; do sum=$((sum + $(proc_cpu "${pid[$b]}"))); done; echo "$sum"; }

# Waits until broker $1 answers Metadata on its port; sets startup_ms from launch time $2.
await_ready() {
    local b=$1 t0=$2 deadline=$(( $2 + 120000 ))
    until metadata_probe "${port[$b]}"; do
        if ! kill -0 "${pid[$b]}" 2>/dev/null; then
            log "$b exited before answering Metadata; the end of its output:"; tail -n 20 "$work/logs/$b.out" >&2
            unset "pid[$b]"; return 1
        fi
        if [ "$(now_ms)" -gt "$deadline" ]; then log "$b did not answer Metadata within 120 s"; return 1; fi
        sleep 0.01
    done
    startup_ms[$b]=$(( $(now_ms) - t0 ))
}

kafka_jvm=(-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true)

# Kafka in KRaft combined mode, configured as its quickstart does for one node; storage formatted first.
start_kafka() {
    local b=$1 dir="$work/data-$1" p c t0
    free_port p; free_port c
    mkdir -p "$dir"
    cat >"$work/$b.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$c
listeners=PLAINTEXT://127.0.0.1:$p,CONTROLLER://127.0.0.1:$c
advertised.listeners=PLAINTEXT://127.0.0.1:$p
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
EOF
    cat >"$work/$b-log4j2.properties" <<EOF
rootLogger.level=INFO
rootLogger.appenderRef.file.ref=file
appender.file.type=File
appender.file.name=file
appender.file.fileName=$work/logs/$b-server.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
EOF
    local cluster_id
    cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
    "$java" -Xmx512M -Dlog4j2.configurationFile="$work/$b-log4j2.properties" -cp "$kafka_cp" \
        kafka.tools.StorageTool format -t "$cluster_id" -c "$work/$b.properties" >"$work/logs/$b-format.out" 2>&1 \
        || { log "formatting Kafka's storage failed:"; cat "$work/logs/$b-format.out" >&2; return 1; }
    port[$b]=$p
    t0=$(now_ms)
    # shellcheck disable=SC2086  # KAFKA_HEAP_OPTS and KAFKA_OPTS are lists of options
    "$java" $kafka_heap "${kafka_jvm[@]}" ${KAFKA_OPTS:-} -Dlog4j2.configurationFile="$work/$b-log4j2.properties" \
        -cp "$kafka_cp" kafka.Kafka "$work/$b.properties" >"$work/logs/$b.out" 2>&1 </dev/null &
    pid[$b]=$!
    await_ready "$b" "$t0"
}

# Fjord through bin/fjord, as a user starts it; $2... are extra --set values.
start_fjord() {
    local b=$1 dir="$work/data-$1" p t0 s sets=()
    shift
    for s in "$@"; do sets+=(--set "$s"); done
    free_port p
    mkdir -p "$dir"
    port[$b]=$p
    t0=$(now_ms)
    "$root/bin/fjord" server --set "listeners=PLAINTEXT://127.0.0.1:$p" --set "log.dirs=$dir" "${sets[@]}" \
        >"$work/logs/$b.out" 2>&1 </dev/null &
    pid[$b]=$!
    await_ready "$b" "$t0"
}

start_broker() {
    case $1 in
        kafka) start_kafka "$1" ;;
        fjord) start_fjord "$1" ;;
        fjord-fsync) start_fjord "$1" "$fsync_set" ;;
    esac
}

# ---- the load ----
tool_jvm=(-Xmx512M -XX:+UseG1GC -Djava.awt.headless=true)
tools_log4j="$work/tools-log4j2.properties"
cat >"$tools_log4j" <<'EOF'
rootLogger.level=WARN
rootLogger.appenderRef.err.ref=err
appender.err.type=Console
appender.err.name=err
appender.err.target=SYSTEM_ERR
appender.err.layout.type=PatternLayout
appender.err.layout.pattern=[%d] %p %m (%c)%n
EOF
# Runs a Kafka tool class (or BenchClient) with output in $work/out/$1.{out,err}; fails loudly.
tool() {
    local name=$1; shift
    if ! "$java" "${tool_jvm[@]}" -Dlog4j2.configurationFile="$tools_log4j" -cp "$work/classes:$kafka_cp" "$@" \
            >"$work/out/$name.out" 2>"$work/out/$name.err" </dev/null; then
        log "$name failed ($*); its output:"; tail -n 20 "$work/out/$name.out" "$work/out/$name.err" >&2
        return 1
    fi
}
kv() { tr ' ' '\n' <"$1" | sed -n "s/^$2=//p" | tail -n 1; }

# The producer tool's summary line: "N records sent, R records/sec (M MB/sec), ..."
perf_field() {   # $1 file, $2 = 1 for records/s, 2 for MB/s
    grep 'records sent' "$1" | tail -n 1 | sed -n "s|.*records sent, \([0-9.]*\) records/sec (\([0-9.]*\) MB/sec).*|\\$2|p"
}

# Each workload on broker $1 in round $2 appends "round metric broker value" lines to results.tsv;
# the caller adds CPU and bytes. Topic names carry the round, so every run writes a new topic.
declare -A run_bytes=()
w1() {
    local b=$1 r=$2 bs="127.0.0.1:${port[$1]}" n="w1-$1-r$2"
    tool "$n-create" BenchClient create "$bs" "w1-r$r" 1
    tool "$n" org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$bs" --topic "w1-r$r" \
        --num-records "$w1_records" --record-size 100 --throughput -1 --command-property acks=1
    record "$r" W1 "$b" "$(perf_field "$work/out/$n.out" 1)"
    run_bytes[W1]=$((w1_records * 100))
}
w2() {
    local b=$1 r=$2 bs="127.0.0.1:${port[$1]}" n="w2-$1-r$2"
    tool "$n-create" BenchClient create "$bs" "w2-r$r" 8
    tool "$n" org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$bs" --topic "w2-r$r" \
        --num-records "$w2_records" --record-size 1024 --throughput -1
    record "$r" W2 "$b" "$(perf_field "$work/out/$n.out" 2)"
    run_bytes[W2]=$((w2_records * 1024))
}
w3() {
    local b=$1 r=$2 bs="127.0.0.1:${port[$1]}" n="w3-$1-r$2" line
    tool "$n" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$bs" --topic "w2-r$r" \
        --num-records "$w2_records" --group "w3-r$r" --timeout 30000 --hide-header
    # start.time, end.time, MB, MB.sec, nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
    line=$(grep -E '^[0-9]{4}-' "$work/out/$n.out" | tail -n 1)
    local count mbs
    count=$(awk -F', *' '{ print $5 }' <<<"$line"); mbs=$(awk -F', *' '{ print $9 }' <<<"$line")
    if [ "$count" != "$w2_records" ]; then log "$n consumed $count records, not $w2_records"; return 1; fi
    record "$r" W3 "$b" "$mbs"
    run_bytes[W3]=$((w2_records * 1024))
}
w4() {
    local b=$1 r=$2 bs="127.0.0.1:${port[$1]}" n="w4-$1-r$2"
    tool "$n" BenchClient rate "$bs" "w4-r$r" "$w4_rate" "$w4_seconds" 1024
    record "$r" W4-p50 "$b" "$(kv "$work/out/$n.out" p50_ms)"
    record "$r" W4-p99 "$b" "$(kv "$work/out/$n.out" p99_ms)"
    record "$r" W4-p999 "$b" "$(kv "$work/out/$n.out" p999_ms)"
    run_bytes[W4]=$((w4_rate * w4_seconds * 1024))
}
w4s() {
    local b=$1 r=$2 bs="127.0.0.1:${port[$1]}" n="w4s-$1-r$2"
    tool "$n-create" BenchClient create "$bs" "w4s-r$r" 1
    tool "$n" org.apache.kafka.tools.EndToEndLatency --bootstrap-server "$bs" --topic "w4s-r$r" \
        --num-records "$w4_serial" --producer-acks all --record-size 1024
    record "$r" W4-serial "$b" "$(sed -n 's/^Avg latency: \([0-9.]*\) ms.*/\1/p' "$work/out/$n.out" | tail -n 1)"
    run_bytes[W4S]=$((w4_serial * 1024))
}
w5() {
    local b=$1 r=$2 bs="127.0.0.1:${port[$1]}" n="w5-$1-r$2"
    tool "$n" BenchClient partitions "$bs" "w5-r$r" "$w5_partitions"
    record "$r" W5 "$b" "$(kv "$work/out/$n.out" total_ms)"
    run_bytes[W5]=$((w5_partitions * 100))
}
record() {
    if [ -z "$4" ]; then log "no figure for $2 on $3 in round $1"; return 1; fi
    printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$results"
}

# Runs workload $1 on broker $2 in round $3 and records the broker's CPU for it, plus what other
# processes on the machine used meanwhile (total busy CPU minus all brokers and this script's tools).
others_ticks=0 measured_ms=0 worst_others_pct=0 runs=0 disturbed_runs=0
run() {
    local w=$1 b=$2 r=$3 t0 busy0 brokers0 tools0 cpu0 t1 others pct
    t0=$(now_ms); busy0=$(total_busy); brokers0=$(brokers_cpu); tools0=$(children_cpu); cpu0=$(proc_cpu "${pid[$b]}")
    log "round $r: $w on $b"
    "$w" "$b" "$r"
    local cpu=$(( $(proc_cpu "${pid[$b]}") - cpu0 ))
    others=$(( $(total_busy) - busy0 - ($(brokers_cpu) - brokers0) - ($(children_cpu) - tools0) ))
    if [ "$others" -lt 0 ]; then others=0; fi
    t1=$(now_ms)
    others_ticks=$((others_ticks + others)); measured_ms=$((measured_ms + t1 - t0))
    # in thousandths of a percent of one core
    pct=$(( others * 100000000 / clk_tck / (t1 - t0 > 0 ? t1 - t0 : 1) ))
    if [ "$pct" -gt "$worst_others_pct" ]; then worst_others_pct=$pct; fi
    runs=$((runs + 1))
    if [ "$pct" -gt 20000 ]; then disturbed_runs=$((disturbed_runs + 1)); fi
    local key=${w^^}
    printf '%s\tCPU-%s\t%s\t%s\t%s\n' "$r" "$key" "$b" "$cpu" "${run_bytes[$key]}" >>"$results"
    printf '%s\tOTHERS-%s\t%s\t%s\t%s\n' "$r" "$key" "$b" "$others" "$((t1 - t0))" >>"$results"
}

# ---- go ----
brokers=(kafka fjord)
if [ "$fsync_mode" != 0 ]; then brokers+=(fjord-fsync); fi
durability[kafka]="no fsync (page cache; Kafka's default)"
durability[fjord]="no fsync (page cache)"
durability[fjord-fsync]="fsync on ($fsync_set)"

log "work directory $work; JDK $JAVA_HOME"
# A first start of each kind, not measured: warms the page cache and lets bin/fjord prepare its JVM
# startup cache after a build, so that the measured start is an ordinary one.
log "warm-up starts (not measured) ..."
start_broker kafka || exit 1
stop_all
start_broker fjord || exit 1
stop_all
rm -rf "$work"/data-* "$work/logs"/*

for b in "${brokers[@]}"; do
    log "starting $b ..."
    if ! start_broker "$b"; then
        if [ "$b" = fjord-fsync ] && [ "$fsync_mode" = auto ]; then
            log "Fjord does not start with $fsync_set; the fsync column is left out (FSYNC=0 skips trying)"
            fsync_mode=0; brokers=(kafka fjord); continue
        fi
        exit 1
    fi
    log "$b is up on 127.0.0.1:${port[$b]} (pid ${pid[$b]}) after ${startup_ms[$b]} ms"
done
sleep "$idle_seconds"
for b in "${brokers[@]}"; do idle_rss[$b]=$(mem_kb "${pid[$b]}" VmRSS); done

read -r -a workloads <<<"${WORKLOADS:-w1 w2 w3 w4 w4s w5}"
for w in "${workloads[@]}"; do
    case $w in w1|w2|w3|w4|w4s|w5) ;; *) echo "side-by-side: unknown workload '$w' in WORKLOADS" >&2; exit 2 ;; esac
done
for ((r = 1; r <= rounds; r++)); do
    if [ $((r % 2)) = 1 ]; then order=("${brokers[@]}"); else order=(); for ((i = ${#brokers[@]} - 1; i >= 0; i--)); do order+=("${brokers[$i]}"); done; fi
    for w in "${workloads[@]}"; do
        for b in "${order[@]}"; do run "$w" "$b" "$r"; done
    done
done
for b in "${brokers[@]}"; do peak_rss[$b]=$(mem_kb "${pid[$b]}" VmHWM); done
for b in "${brokers[@]}"; do
    printf '0\tstartup\t%s\t%s\n0\tidle-rss\t%s\t%s\n0\tpeak-rss\t%s\t%s\n' "$b" "${startup_ms[$b]}" \
        "$b" "$(awk -v k="${idle_rss[$b]}" 'BEGIN { printf "%.0f", k / 1024 }')" \
        "$b" "$(awk -v k="${peak_rss[$b]}" 'BEGIN { printf "%.0f", k / 1024 }')" >>"$results"
done
stop_all

# ---- the table ----
others_pct=$(awk -v t="$others_ticks" -v hz="$clk_tck" -v ms="$measured_ms" 'BEGIN { printf "%.1f", (ms > 0 ? t / hz / (ms / 1000) * 100 : 0) }')
{
    echo
    echo "Fjord vs Apache Kafka 4.3.1, side by side: $rounds rounds, order swapped every round$([ "$smoke" = 1 ] && echo ' (SMOKE: tiny workloads, not a result)')"
    echo "$(nproc) CPUs, $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), JDK $("$java" -version 2>&1 | head -n 1),"
    echo "Fjord $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (uncommitted changes)'); FJORD_OPTS=${FJORD_OPTS:-(none: bin/fjord defaults)}; Kafka heap $kafka_heap"
    echo "W1 $w1_records x 100 B; W2 $w2_records x 1 KiB; W4 $w4_rate/s for ${w4_seconds}s, $w4_serial serial; W5 $w5_partitions partitions"
    echo
    awk -F'\t' -v hz="$clk_tck" -v w5="$w5_partitions" -v brokers="${brokers[*]}" \
        -v dk="${durability[kafka]}" -v df="${durability[fjord]}" -v dfs="${durability[fjord-fsync]}" \
        -v dks="no fsync" -v dfsh="no fsync" -v dfss="fsync" -f "$root/bench/side-by-side/table.awk" "$results"
    echo
    echo "Other processes' CPU during the measured runs: ${others_pct}% of one core on average, $(awk -v p="$worst_others_pct" 'BEGIN { printf "%.1f", p / 1000 }')% in the worst run, $disturbed_runs of $runs runs above 20%$(awk -v a="$others_pct" -v w="$worst_others_pct" 'BEGIN { if (a > 20 || w / 1000 > 20) print "  -- above 20%: distrust these figures" }')"
} | tee "$work/table.txt"
