package io.fjord.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks what a topic holds against a {@link RecordLedger}, partition by partition: every
 * acknowledged record is there exactly once, at the offset its acknowledgement gave, and a
 * producer's acknowledged records stand in the order it sent them; every record there was sent by
 * some producer to that partition, and none is there twice (an idempotent producer's retries must
 * not duplicate even records whose acknowledgement never came).
 */
final class LogAudit {
    /** Examples of each kind of problem shown per partition. */
    private static final int EXAMPLES = 5;

    /** The verdict on one partition: figures, and for each kind of problem its count and a few examples. */
    record PartitionReport(int partition, long sent, long acked, long present, Map<String, Problem> problems) {
        boolean clean() {
            return problems.values().stream().allMatch(p -> p.count() == 0);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("partition " + partition + ": sent " + sent + ", acknowledged " + acked
                    + ", present " + present);
            problems.forEach((kind, problem) -> {
                if (problem.count() > 0) {
                    text.append("\n    ").append(kind).append(": ").append(problem.count()).append(", e.g. ")
                            .append(problem.examples());
                }
            });
            return text.toString();
        }
    }

    static final class Problem {
        private long count;
        private final List<String> examples = new ArrayList<>();

        void add(String example) {
            addRun(example, 1);
        }

        /** {@code count} problems shown as one example. */
        void addRun(String example, long count) {
            this.count += count;
            if (examples.size() < EXAMPLES) {
                examples.add(example);
            }
        }

        long count() {
            return count;
        }

        List<String> examples() {
            return examples;
        }
    }

    private LogAudit() {
    }

    static List<PartitionReport> check(RecordLedger ledger, Map<Integer, List<TopicReader.Stored>> topic) {
        List<PartitionReport> reports = new ArrayList<>();
        for (int p = 0; p < ledger.partitions(); p++) {
            reports.add(check(ledger, p, topic.getOrDefault(p, List.of())));
        }
        return reports;
    }

    private static PartitionReport check(RecordLedger ledger, int partition, List<TopicReader.Stored> stored) {
        Map<String, Problem> problems = new java.util.LinkedHashMap<>();
        Problem missing = problem(problems, "acknowledged but missing");
        Problem duplicated = problem(problems, "present more than once");
        Problem neverSent = problem(problems, "present but never sent to this partition");
        Problem misplaced = problem(problems, "not at the acknowledged offset");
        Problem disordered = problem(problems, "acknowledged records out of send order");

        // Where each record stands: producer and sequence -> offsets.
        Map<Long, List<Long>> offsets = new HashMap<>();
        for (TopicReader.Stored record : stored) {
            RecordLedger.Id id = RecordLedger.parse(record.value());
            if (id == null || id.partition() != partition || id.producer() < 0 || id.producer() >= ledger.producers()
                    || id.sequence() < 0 || id.sequence() >= ledger.sent(id.producer(), partition)) {
                neverSent.add("offset " + record.offset() + " holds '" + record.value() + "'");
                continue;
            }
            offsets.computeIfAbsent(key(id.producer(), id.sequence()), k -> new ArrayList<>()).add(record.offset());
        }
        offsets.forEach((key, at) -> {
            if (at.size() > 1) {
                duplicated.add(RecordLedger.value((int) (key >>> 32), partition, (int) (long) key) + " at offsets " + at);
            }
        });

        long sent = 0;
        long acked = 0;
        for (int producer = 0; producer < ledger.producers(); producer++) {
            sent += ledger.sent(producer, partition);
            long previousOffset = -1;
            String previous = null;
            MissingRuns runs = new MissingRuns(producer, partition, missing);
            for (RecordLedger.Ack ack : ledger.acked(producer, partition)) {
                acked++;
                String name = RecordLedger.value(producer, partition, ack.sequence());
                List<Long> at = offsets.get(key(producer, ack.sequence()));
                if (at == null) {
                    runs.add(ack);
                    continue;
                }
                runs.end();
                long offset = at.get(0);
                if (ack.offset() >= 0 && !at.contains(ack.offset())) {
                    misplaced.add(name + " acknowledged at offset " + ack.offset() + ", found at " + at);
                }
                if (offset <= previousOffset) {
                    disordered.add(name + " at offset " + offset + " comes before " + previous + " at offset "
                            + previousOffset + ", sent earlier");
                }
                previousOffset = offset;
                previous = name;
            }
            runs.end();
        }
        return new PartitionReport(partition, sent, acked, stored.size(), problems);
    }

    /**
     * Missing records come in runs (a lost tail of a log is many consecutive sends): each run counts
     * every record in it but is shown once, as a range of sequences and acknowledged offsets.
     */
    private static final class MissingRuns {
        private final int producer;
        private final int partition;
        private final Problem missing;
        private RecordLedger.Ack first;
        private RecordLedger.Ack last;
        private long length;

        MissingRuns(int producer, int partition, Problem missing) {
            this.producer = producer;
            this.partition = partition;
            this.missing = missing;
        }

        void add(RecordLedger.Ack ack) {
            if (first == null) {
                first = ack;
            }
            last = ack;
            length++;
        }

        void end() {
            if (first == null) {
                return;
            }
            String run = length == 1 ? RecordLedger.value(producer, partition, first.sequence())
                    : length + " records " + RecordLedger.value(producer, partition, first.sequence()) + ".." + last.sequence();
            String offsets = first.offset() < 0 ? "" : length == 1 ? " (acknowledged at offset " + first.offset() + ")"
                    : " (acknowledged at offsets " + first.offset() + ".." + last.offset() + ")";
            missing.addRun(run + offsets, length);
            first = null;
            last = null;
            length = 0;
        }
    }

    private static Problem problem(Map<String, Problem> problems, String kind) {
        Problem problem = new Problem();
        problems.put(kind, problem);
        return problem;
    }

    private static long key(int producer, int sequence) {
        return ((long) producer << 32) | (sequence & 0xffffffffL);
    }
}
