package io.fjord.record;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeader;

/** What a test appends: one record's timestamp, key, value and headers, plus an optional explicit offset. */
record RecordInput(Long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {

    static RecordInput of(long timestamp, String key, String value, Header... headers) {
        return new RecordInput(null, timestamp, utf8(key), utf8(value), List.of(headers));
    }

    RecordInput atOffset(long explicitOffset) {
        return new RecordInput(explicitOffset, timestamp, key, value, headers);
    }

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    Header[] fjordHeaders() {
        return headers.toArray(new Header[0]);
    }

    org.apache.kafka.common.header.Header[] kafkaHeaders() {
        return headers.stream()
                .map(h -> new RecordHeader(h.key(), h.valueBytes()))
                .toArray(org.apache.kafka.common.header.Header[]::new);
    }

    /** The record as a reader should report it, given the batch's offsets and timestamp type. */
    RecordData expected(long offset, Long logAppendTime) {
        return new RecordData(offset, logAppendTime != null ? logAppendTime : timestamp,
                key == null ? null : HexFormat.of().formatHex(key),
                value == null ? null : HexFormat.of().formatHex(value),
                headers.stream().map(h -> new RecordData.HeaderData(h.key(), RecordData.hex(h.value()))).toList());
    }
}
