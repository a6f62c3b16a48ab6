# Turns bench/side-by-side.sh's results.tsv into the table it prints.
#
# Input lines (tab-separated):
#   ROUND  METRIC      BROKER  VALUE             one figure of one run (round 0: once per broker)
#   ROUND  CPU-<KEY>   BROKER  TICKS  BYTES      the broker's CPU for that run and the bytes it moved
# Variables: hz (clock ticks per second), brokers ("kafka fjord [fjord-fsync]"), w5 (W5's partitions),
# dk/df/dfs (each broker's durability in words) and dks/dfsh/dfss (the same in a word or two).
#
# For each metric: the median over rounds for each broker, and the median [min-max] of the per-round
# ratios to Kafka (the rounds pair the runs: the same round, back to back, alternating order).

function median(a, n,    i, j, t, b) {
    for (i = 1; i <= n; i++) b[i] = a[i]
    for (i = 2; i <= n; i++) { t = b[i]; for (j = i - 1; j >= 1 && b[j] > t; j--) b[j + 1] = b[j]; b[j + 1] = t }
    return n % 2 ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2
}
function minof(a, n,    i, m) { m = a[1]; for (i = 2; i <= n; i++) if (a[i] < m) m = a[i]; return m }
function maxof(a, n,    i, m) { m = a[1]; for (i = 2; i <= n; i++) if (a[i] > m) m = a[i]; return m }
function fmt(x) {
    if (x == "") return "-"
    if (x >= 100) return sprintf("%.0f", x)
    if (x >= 10) return sprintf("%.1f", x)
    return sprintf("%.2f", x)
}
# Median of broker b's figures for metric m; "" when there are none.
function med(m, b,    r, n, v) {
    n = 0
    for (r = 0; r <= maxround; r++) if ((r, m, b) in val) v[++n] = val[r, m, b]
    return n ? median(v, n) : ""
}
# "median [min-max]" of the per-round ratios b / kafka.
function ratio(m, b,    r, n, q) {
    n = 0
    for (r = 0; r <= maxround; r++)
        if ((r, m, b) in val && (r, m, "kafka") in val && val[r, m, "kafka"] > 0) q[++n] = val[r, m, b] / val[r, m, "kafka"]
    if (!n) return "-"
    if (n == 1) return sprintf("%.2f", q[1])
    return sprintf("%.2f [%.2f-%.2f]", median(q, n), minof(q, n), maxof(q, n))
}
# Median over rounds of the broker's CPU seconds per GB (10^9 bytes) moved by workload key k.
function cpu(k, b,    r, n, v) {
    n = 0
    for (r = 1; r <= maxround; r++) if ((r, "CPU-" k, b) in ticks && bytes[r, "CPU-" k, b] > 0)
        v[++n] = ticks[r, "CPU-" k, b] / hz / (bytes[r, "CPU-" k, b] / 1e9)
    return n ? fmt(median(v, n)) : ""
}

{
    if ($1 > maxround) maxround = $1
    if ($2 ~ /^CPU-/) { ticks[$1, $2, $3] = $4; bytes[$1, $2, $3] = $5 }
    else if ($2 ~ /^OTHERS-/) next
    else val[$1, $2, $3] = $4
}

END {
    nb = split(brokers, bs, " ")
    fs = nb > 2
    # metric, label, unit, better, CPU key
    rows = "W1|W1 produce 100 B, 1 partition, acks=1|records/s|higher|W1;" \
           "W2|W2 produce 1 KiB, 8 partitions, acks=all, idempotent|MB/s|higher|W2;" \
           "W3|W3 consume what W2 wrote|MB/s|higher|W3;" \
           "W4-p50|W4 end-to-end at fixed rate, p50|ms|lower|W4;" \
           "W4-p99|W4 end-to-end at fixed rate, p99|ms|lower|;" \
           "W4-p999|W4 end-to-end at fixed rate, p99.9|ms|lower|;" \
           "W4-serial|W4 serial round trip, average|ms|lower|W4S;" \
           "W5|W5 create " w5 "-partition topic, 1 record each|ms|lower|W5;" \
           "startup|startup to first Metadata answer|ms|lower|;" \
           "idle-rss|idle RSS|MB|lower|;" \
           "peak-rss|peak RSS (VmHWM)|MB|lower|"
    n = split(rows, row, ";")
    head = sprintf("%-52s %-9s %-6s | %10s %10s %-20s", "workload", "unit", "better", "Kafka", "Fjord", "Fjord/Kafka")
    if (fs) head = head sprintf(" | %11s %-20s", "Fjord+fsync", "Fjord+fsync/Kafka")
    head = head sprintf(" | CPU s/GB: %7s %7s", "Kafka", "Fjord")
    if (fs) head = head sprintf(" %7s", "+fsync")
    print head
    # Under each broker's name, what an acknowledged write means there.
    tags = sprintf("%-52s %-9s %-6s | %10s %10s %-20s", "", "", "", "[" dks "]", "[" dfsh "]", "")
    if (fs) tags = tags sprintf(" | %11s %-20s", "[" dfss "]", "")
    print tags
    line = head; gsub(/./, "-", line); print line
    for (i = 1; i <= n; i++) {
        split(row[i], f, "|")
        m = f[1]
        s = sprintf("%-52s %-9s %-6s | %10s %10s %-20s", f[2], f[3], f[4], fmt(med(m, "kafka")), fmt(med(m, "fjord")), ratio(m, "fjord"))
        if (fs) s = s sprintf(" | %11s %-20s", fmt(med(m, "fjord-fsync")), ratio(m, "fjord-fsync"))
        if (f[5] != "") {
            s = s sprintf(" | %17s %7s", cpu(f[5], "kafka"), cpu(f[5], "fjord"))
            if (fs) s = s sprintf(" %7s", cpu(f[5], "fjord-fsync"))
        } else s = s " |"
        print s
    }
    print ""
    print "Durability: Kafka " dk "; Fjord " df (fs ? "; Fjord+fsync " dfs : "") "."
    print "Ratios are Fjord / Kafka per round (median [min-max] over rounds); \"better\" says which way favours Fjord."
    print "MB/s as Kafka's tools print it (2^20 bytes); W3 is ConsumerPerformance's fetch rate (group join excluded)."
    print "CPU s/GB: the broker process's user+system CPU during the run per 10^9 payload bytes it took in (W3: sent out)."
    print "Startup and memory are one reading per broker; startup includes bin/fjord's JDK lookup for Fjord."
}
