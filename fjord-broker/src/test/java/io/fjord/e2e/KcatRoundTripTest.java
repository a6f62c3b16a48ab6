package io.fjord.e2e;

import static io.fjord.testing.ExpectedRecord.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.server.FjordNode;
import io.fjord.testing.ExpectedRecord;
import io.fjord.testing.ExternalCommand;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, "kcat": keyed records with headers produced with {@code kcat -P -K: -H k=v} come back byte
 * for byte with {@code kcat -C -o beginning -e}, and the Java consumer reads the same bytes; kcat also
 * reads what the Java producer wrote with every codec. kcat is Debian's, on librdkafka 2.0.2, which
 * picks its API versions from what the node advertises.
 */
class KcatRoundTripTest {
    /**
     * Everything kcat prints per record, with the lengths in front of key and value so that any byte
     * may appear in them: "partition offset keyLength valueLength timestamp|key|value|headers" + LF.
     * Lengths are -1 for null.
     */
    private static final String FORMAT = "%p %o %K %S %T|%k|%s|%h\\n";

    @TempDir
    static Path dataDir;
    static FjordNode node;
    static int port;
    static Path kcat;

    @BeforeAll
    static void startNode() {
        kcat = ExternalCommand.require("kcat", "install it with: apt-get install -y kcat");
        node = TestNodes.start(dataDir);
        port = TestNodes.port(node);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    /** One record as kcat printed it. */
    record Printed(int partition, long offset, byte[] key, byte[] value, long timestamp, String headers) {
        @Override
        public String toString() {
            return "p" + partition + "@" + offset + " key=" + ExpectedRecord.describe(key) + " value="
                    + ExpectedRecord.describe(value) + " ts=" + timestamp + " headers=" + headers;
        }
    }

    /** Parses kcat's output in {@link #FORMAT}, failing on anything that does not fit it exactly. */
    static List<Printed> parse(String stdout) {
        byte[] out = stdout.getBytes(StandardCharsets.UTF_8);
        List<Printed> records = new ArrayList<>();
        int pos = 0;
        while (pos < out.length) {
            int bar = indexOf(out, (byte) '|', pos);
            String[] fields = new String(out, pos, bar - pos, StandardCharsets.UTF_8).split(" ");
            if (fields.length != 5) {
                throw new AssertionError("unexpected kcat line at byte " + pos + ": " + stdout.substring(0, Math.min(stdout.length(), 2000)));
            }
            int keyLength = Integer.parseInt(fields[2]);
            int valueLength = Integer.parseInt(fields[3]);
            pos = bar + 1;
            byte[] key = keyLength < 0 ? null : Arrays.copyOfRange(out, pos, pos + keyLength);
            pos += Math.max(keyLength, 0);
            expect(out, pos++, '|');
            byte[] value = valueLength < 0 ? null : Arrays.copyOfRange(out, pos, pos + valueLength);
            pos += Math.max(valueLength, 0);
            expect(out, pos++, '|');
            int end = indexOf(out, (byte) '\n', pos);
            String headers = new String(out, pos, end - pos, StandardCharsets.UTF_8);
            pos = end + 1;
            records.add(new Printed(Integer.parseInt(fields[0]), Long.parseLong(fields[1]), key, value,
                    Long.parseLong(fields[4]), headers));
        }
        return records;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new AssertionError("no '" + (char) b + "' after byte " + from + " of kcat's output");
    }

    private static void expect(byte[] bytes, int pos, char c) {
        if (pos >= bytes.length || bytes[pos] != c) {
            throw new AssertionError("expected '" + c + "' at byte " + pos + " of kcat's output");
        }
    }

    private static ExternalCommand.Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(kcat.toString());
        command.addAll(List.of(args));
        ExternalCommand.Result r = ExternalCommand.run(command, null, Duration.ofSeconds(40));
        assertThat(r.exitCode()).as("exit code of %s; stderr: %s", command, r.stderr()).isZero();
        assertThat(r.stderr()).as("stderr of %s", command).doesNotContainIgnoringCase("error").doesNotContain("fail");
        return r;
    }

    private static List<Printed> consumeAll(String topic) {
        ExternalCommand.Result r = run("-C", "-b", KafkaClients.bootstrap(port), "-t", topic, "-o", "beginning", "-e",
                "-q", "-m", "10", "-f", FORMAT);
        return parse(r.stdout());
    }

    /** Lines for {@code kcat -P -K:}: the key up to the first ':', the value after it (which may hold ':'). */
    private static List<String[]> keyedLines(String tag, int count) {
        List<String[]> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = switch (i % 4) {
                case 0 -> tag + "-key-" + i;
                case 1 -> "ключ " + i + "\t" + tag;
                case 2 -> "k" + i;
                default -> "🙂-" + i;
            };
            String value = switch (i % 5) {
                case 0 -> "value " + i + " with: colons: and spaces";
                case 1 -> "\u00e6\u00f8\u00e5 " + "x".repeat(i * 13 % 400);
                case 2 -> "{\"json\":" + i + ",\"k\":\"v|w\"}";
                case 3 -> "tab\there " + i + " = , % \\ end";
                default -> "v" + i;
            };
            lines.add(new String[] {key, value});
        }
        return lines;
    }

    @Test
    void keyedRecordsWithHeadersProducedByKcatComeBackByteForByte(@TempDir Path work) throws Exception {
        String topic = "kcat-produced";
        KafkaClients.createTopics(port, KafkaClients.topic(topic, 3, Map.of()));
        // partition -> kcat's producer settings: plain, snappy, and zstd from an idempotent producer
        String[][] settings = {
            {},
            {"-z", "snappy"},
            {"-X", "compression.codec=zstd", "-X", "enable.idempotence=true"},
        };
        List<String[]> headerArgs = List.of(new String[] {"k", "v"}, new String[] {"trace-id", "abc-123"},
                new String[] {"eq", "a=b"}, new String[] {"k", "second k"});
        List<ExpectedRecord> expected = new ArrayList<>();
        for (int p = 0; p < settings.length; p++) {
            List<String[]> lines = keyedLines("p" + p, 40 + p * 7);
            StringBuilder input = new StringBuilder();
            for (String[] line : lines) {
                input.append(line[0]).append(':').append(line[1]).append('\n');
                List<Header> headers = new ArrayList<>();
                for (String[] h : headerArgs) {
                    headers.add(header(h[0], h[1]));
                }
                expected.add(new ExpectedRecord(topic, p, line[0].getBytes(StandardCharsets.UTF_8),
                        line[1].getBytes(StandardCharsets.UTF_8), headers, -1));
            }
            Path file = work.resolve("input-" + p + ".txt");
            Files.writeString(file, input.toString(), StandardCharsets.UTF_8);
            List<String> args = new ArrayList<>(List.of("-P", "-b", KafkaClients.bootstrap(port), "-t", topic,
                    "-p", String.valueOf(p), "-K:", "-m", "10"));
            for (String[] h : headerArgs) {
                args.add("-H");
                args.add(h[0] + "=" + h[1]);
            }
            args.addAll(List.of(settings[p]));
            args.addAll(List.of("-l", file.toString()));
            run(args.toArray(new String[0]));
        }

        // kcat reads back exactly what it wrote, at consecutive offsets per partition
        List<Printed> printed = consumeAll(topic);
        Map<Integer, List<Printed>> byPartition = new TreeMap<>();
        printed.forEach(r -> byPartition.computeIfAbsent(r.partition(), x -> new ArrayList<>()).add(r));
        List<String> problems = new ArrayList<>();
        for (int p = 0; p < settings.length; p++) {
            int partition = p;
            List<ExpectedRecord> want = expected.stream().filter(e -> e.partition() == partition).toList();
            List<Printed> got = byPartition.getOrDefault(p, List.of());
            if (got.size() != want.size()) {
                problems.add("partition " + p + ": kcat read " + got.size() + " records, wrote " + want.size());
            }
            for (int i = 0; i < Math.min(got.size(), want.size()); i++) {
                Printed g = got.get(i);
                ExpectedRecord w = want.get(i);
                if (g.offset() != i || !Arrays.equals(g.key(), w.key()) || !Arrays.equals(g.value(), w.value())
                        || !g.headers().equals("k=v,trace-id=abc-123,eq=a=b,k=second k")) {
                    problems.add("partition " + p + " #" + i + ": read " + g + ", wrote key="
                            + ExpectedRecord.describe(w.key()) + " value=" + ExpectedRecord.describe(w.value()));
                }
            }
        }
        assertThat(problems).isEmpty();

        // and the Java consumer reads the same bytes (headers compared exactly, not as kcat prints them)
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port)) {
            List<ConsumerRecord<byte[], byte[]>> read = KafkaClients.readFromBeginning(consumer,
                    JavaClientRoundTripTest.partitions(topic, 3), expected.size(), Duration.ofSeconds(20));
            ExpectedRecord.assertReadBack(expected, read, 0, null);
        }
    }

    @Test
    void kcatReadsWhatTheJavaProducerWroteWithEveryCodec() throws Exception {
        String[] codecs = {"none", "gzip", "snappy", "lz4", "zstd"};
        String topic = "java-produced";
        KafkaClients.createTopics(port, KafkaClients.topic(topic, codecs.length, Map.of()));
        List<ExpectedRecord> expected = new ArrayList<>();
        for (int p = 0; p < codecs.length; p++) {
            List<ExpectedRecord> records = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                byte[] key = i % 6 == 0 ? null : ("key-" + i + "-æ").getBytes(StandardCharsets.UTF_8);
                byte[] value = i % 9 == 0 ? null
                        : ("value " + i + "\nwith a newline, | bars | and " + "z".repeat(i * 31 % 700))
                                .getBytes(StandardCharsets.UTF_8);
                List<Header> headers = i % 2 == 0 ? List.of()
                        : List.of(header("codec", codecs[p]), header("n", String.valueOf(i)));
                records.add(new ExpectedRecord(topic, p, key, value, headers, 1_600_000_000_000L + i * 1000L + p));
            }
            try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port,
                    ProducerConfig.COMPRESSION_TYPE_CONFIG, codecs[p], ProducerConfig.LINGER_MS_CONFIG, "20")) {
                for (ExpectedRecord r : records) {
                    producer.send(r.toProducerRecord());
                }
                producer.flush();
                producer.send(records.get(0).toProducerRecord()).get(15, TimeUnit.SECONDS); // one more, waited for
            }
            records.add(records.get(0));
            expected.addAll(records);
        }

        List<Printed> printed = consumeAll(topic);
        List<String> problems = new ArrayList<>();
        for (int p = 0; p < codecs.length; p++) {
            int partition = p;
            List<ExpectedRecord> want = expected.stream().filter(e -> e.partition() == partition).toList();
            List<Printed> got = printed.stream().filter(r -> r.partition() == partition).toList();
            if (got.size() != want.size()) {
                problems.add("partition " + p + " (" + codecs[p] + "): kcat read " + got.size() + ", written " + want.size());
            }
            for (int i = 0; i < Math.min(got.size(), want.size()); i++) {
                Printed g = got.get(i);
                ExpectedRecord w = want.get(i);
                String headers = String.join(",", w.headers().stream()
                        .map(h -> h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8)).toList());
                if (g.offset() != i || !Arrays.equals(g.key(), w.key()) || !Arrays.equals(g.value(), w.value())
                        || g.timestamp() != w.timestamp() || !g.headers().equals(headers)) {
                    problems.add(codecs[p] + " #" + i + ": read " + g + "; written key=" + ExpectedRecord.describe(w.key())
                            + " value=" + ExpectedRecord.describe(w.value()) + " ts=" + w.timestamp() + " headers=" + headers);
                }
            }
        }
        assertThat(problems).isEmpty();

        // kcat's offset-for-timestamp query (ListOffsets through librdkafka): record i has timestamp base + i s + p
        ExternalCommand.Result q = run("-Q", "-b", KafkaClients.bootstrap(port), "-m", "10",
                "-t", topic + ":0:" + (1_600_000_000_000L + 10_500L),
                "-t", topic + ":3:" + (1_600_000_000_000L + 3),
                "-t", topic + ":4:" + (1_700_000_000_000L));
        String out = q.stdout();
        assertThat(out).as("kcat -Q output").contains(topic + " [0] offset 11\n");
        assertThat(out).as("kcat -Q output").contains(topic + " [3] offset 0\n");
        // past every timestamp: Kafka answers -1, which librdkafka reports as the end
        assertThat(out).as("kcat -Q output").contains(topic + " [4] offset -1\n");
    }
}
