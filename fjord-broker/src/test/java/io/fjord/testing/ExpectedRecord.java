package io.fjord.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;

/**
 * A record a test wrote, to compare with what a consumer reads back: partition, key, value, headers
 * (in order, duplicates and null values included) and timestamp, all compared exactly.
 */
public record ExpectedRecord(String topic, int partition, byte[] key, byte[] value, List<Header> headers, long timestamp) {

    public ProducerRecord<byte[], byte[]> toProducerRecord() {
        return new ProducerRecord<>(topic, partition, timestamp, key, value, headers);
    }

    public static Header header(String key, String value) {
        return new RecordHeader(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    public static Header header(String key, byte[] value) {
        return new RecordHeader(key, value);
    }

    /**
     * Asserts that {@code actual} holds exactly {@code expected}: per partition the same records in the
     * order written, at offsets {@code firstOffset, firstOffset + 1, ...}, with {@code timestampType}.
     * Reports every difference, not just the first.
     */
    public static void assertReadBack(List<ExpectedRecord> expected, List<ConsumerRecord<byte[], byte[]>> actual,
            long firstOffset, TimestampType timestampType) {
        Map<Integer, List<ExpectedRecord>> want = new TreeMap<>();
        for (ExpectedRecord r : expected) {
            want.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r);
        }
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> got = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : actual) {
            got.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r);
        }
        List<String> problems = new ArrayList<>();
        if (!want.keySet().equals(got.keySet())) {
            problems.add("partitions read " + got.keySet() + ", written " + want.keySet());
        }
        for (Map.Entry<Integer, List<ExpectedRecord>> entry : want.entrySet()) {
            int partition = entry.getKey();
            List<ExpectedRecord> w = entry.getValue();
            List<ConsumerRecord<byte[], byte[]>> g = got.getOrDefault(partition, List.of());
            if (w.size() != g.size()) {
                problems.add("partition " + partition + ": read " + g.size() + " records, written " + w.size());
            }
            for (int i = 0; i < Math.min(w.size(), g.size()); i++) {
                String diff = diff(w.get(i), g.get(i), firstOffset + i, timestampType);
                if (diff != null) {
                    problems.add("partition " + partition + " record #" + i + ": " + diff);
                }
            }
        }
        if (!problems.isEmpty()) {
            int shown = Math.min(problems.size(), 20);
            throw new AssertionError(problems.size() + " differences between what was written and what was read:\n  "
                    + String.join("\n  ", problems.subList(0, shown)) + (shown < problems.size() ? "\n  ..." : ""));
        }
    }

    private static String diff(ExpectedRecord w, ConsumerRecord<byte[], byte[]> g, long offset, TimestampType type) {
        Map<String, String> d = new LinkedHashMap<>();
        if (!w.topic().equals(g.topic())) {
            d.put("topic", g.topic() + " != " + w.topic());
        }
        if (g.offset() != offset) {
            d.put("offset", g.offset() + " != " + offset);
        }
        if (!Arrays.equals(w.key(), g.key())) {
            d.put("key", describe(g.key()) + " != " + describe(w.key()));
        }
        if (!Arrays.equals(w.value(), g.value())) {
            d.put("value", describe(g.value()) + " != " + describe(w.value()));
        }
        String wantHeaders = describe(w.headers());
        String gotHeaders = describe(Arrays.asList(g.headers().toArray()));
        if (!wantHeaders.equals(gotHeaders)) {
            d.put("headers", gotHeaders + " != " + wantHeaders);
        }
        if (type != null && g.timestampType() != type) {
            d.put("timestampType", g.timestampType() + " != " + type);
        }
        if (type == TimestampType.CREATE_TIME && g.timestamp() != w.timestamp()) {
            d.put("timestamp", g.timestamp() + " != " + w.timestamp());
        }
        return d.isEmpty() ? null : d.toString();
    }

    /** Null, or the length, a checksum and the first bytes: enough to tell values apart in a message. */
    public static String describe(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        String head = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 12));
        return "[" + bytes.length + " bytes crc32=" + Long.toHexString(crc.getValue()) + " " + head
                + (bytes.length > 12 ? "..." : "") + "]";
    }

    /** Headers as a string that is equal exactly when the headers are equal (keys, values, order). */
    public static String describe(List<Header> headers) {
        StringBuilder out = new StringBuilder("{");
        for (Header h : headers) {
            out.append(h.key()).append('=').append(h.value() == null ? "null" : HexFormat.of().formatHex(h.value()))
                    .append(';');
        }
        return out.append('}').toString();
    }
}
