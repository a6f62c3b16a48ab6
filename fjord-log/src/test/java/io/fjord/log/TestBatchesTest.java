package io.fjord.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.junit.jupiter.api.Test;

/** The test batch writer produces what kafka-clients itself accepts, so the log tests use real batches. */
class TestBatchesTest {
    @Test
    void kafkaClientsReadsTheTestBatches() {
        byte[] first = TestBatches.batch(7, new long[] {1000, 900, 1500},
                new byte[][] {bytes("a"), bytes("bb"), bytes("")});
        byte[] second = TestBatches.batch(10, new long[] {-1}, new byte[][] {bytes("x")});
        MemoryRecords records = MemoryRecords.readableRecords(TestBatches.concat(List.of(first, second)));

        List<MutableRecordBatch> batches = new ArrayList<>();
        records.batches().forEach(batches::add);
        assertThat(batches).hasSize(2);
        MutableRecordBatch batch = batches.get(0);
        batch.ensureValid();
        assertThat(batch.baseOffset()).isEqualTo(7);
        assertThat(batch.lastOffset()).isEqualTo(9);
        assertThat(batch.maxTimestamp()).isEqualTo(1500);
        List<String> values = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        for (Record record : batch) {
            values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
            offsets.add(record.offset());
        }
        assertThat(values).containsExactly("a", "bb", "");
        assertThat(offsets).containsExactly(7L, 8L, 9L);
        batches.get(1).ensureValid();
        assertThat(batches.get(1).maxTimestamp()).isEqualTo(-1);
        assertThat(TestBatches.crcValid(first)).isTrue();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
