package io.fjord.record;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A record as plain comparable values (bytes as hex, null kept), so records read by Fjord and by
 * kafka-clients can be compared with equals.
 */
record RecordData(long offset, long timestamp, String key, String value, List<HeaderData> headers) {

    record HeaderData(String key, String value) {
    }

    static String hex(ByteBuffer bytes) {
        if (bytes == null) {
            return null;
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return HexFormat.of().formatHex(copy);
    }

    static String hex(byte[] bytes) {
        return bytes == null ? null : HexFormat.of().formatHex(bytes);
    }

    static RecordData of(Record record) {
        List<HeaderData> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(new HeaderData(header.key(), hex(header.value())));
        }
        return new RecordData(record.offset(), record.timestamp(), hex(record.key()), hex(record.value()), headers);
    }

    static RecordData of(org.apache.kafka.common.record.internal.Record record) {
        List<HeaderData> headers = new ArrayList<>();
        for (org.apache.kafka.common.header.Header header : record.headers()) {
            headers.add(new HeaderData(header.key(), hex(header.value())));
        }
        return new RecordData(record.offset(), record.timestamp(), hex(record.key()), hex(record.value()), headers);
    }
}
