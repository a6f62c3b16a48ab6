package io.fjord.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.protocol.BaseRecords;
import io.fjord.protocol.MemoryRecords;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.protocol.message.FetchResponseData.FetchableTopicResponse;
import io.fjord.protocol.message.FetchResponseData.PartitionData;
import io.fjord.protocol.message.MetadataResponseData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.FileRegion;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The send builder: which parts a response becomes, that they add up to the right bytes, and who releases what. */
class ResponseEncoderTest {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private static final short HEADER_VERSION = 1;
    private static final UUID TOPIC_ID = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

    @TempDir
    Path dir;
    private FileRecordsFixture file;

    @BeforeEach
    void setUp() throws IOException {
        file = new FileRecordsFixture(dir, 10_000);
    }

    @AfterEach
    void tearDown() throws IOException {
        file.close();
    }

    private static FetchResponseData fetchResponse(BaseRecords... records) {
        List<PartitionData> partitions = new ArrayList<>();
        for (int i = 0; i < records.length; i++) {
            partitions.add(new PartitionData().setPartitionIndex(i).setHighWatermark(100 + i).setLogStartOffset(0)
                    .setRecords(records[i]));
        }
        return new FetchResponseData().setResponses(List.of(new FetchableTopicResponse()
                .setTopic("t").setTopicId(TOPIC_ID).setPartitions(partitions)));
    }

    /** The frame as the channel would put it on the wire: buffers as they are, regions through transferTo. */
    private static byte[] wireBytes(Object encoded) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Object> parts = encoded instanceof ResponseEncoder.Parts p ? p.parts() : List.of(encoded);
        for (Object part : parts) {
            if (part instanceof ByteBuf buf) {
                byte[] bytes = new byte[buf.readableBytes()];
                buf.getBytes(buf.readerIndex(), bytes);
                out.write(bytes);
            } else {
                FileRegion region = (FileRegion) part;
                while (region.transferred() < region.count()) {
                    region.transferTo(Channels.newChannel(out), region.transferred());
                }
            }
        }
        return out.toByteArray();
    }

    private static void releaseAll(Object encoded) {
        List<Object> parts = encoded instanceof ResponseEncoder.Parts p ? p.parts() : List.of(encoded);
        parts.forEach(ReferenceCountUtil::release);
    }

    @Test
    void fileRecordsBecomeRegionsBetweenBufferSlices() throws IOException {
        for (short version : new short[] {4, 11, 12, 13, 16, 18}) {
            FetchResponseData zeroCopy = fetchResponse(file.records(100, 1000), MemoryRecords.EMPTY, file.records(5000, 3000));
            FetchResponseData inMemory = fetchResponse(MemoryRecords.of(file.bytes(100, 1000)), MemoryRecords.EMPTY,
                    MemoryRecords.of(file.bytes(5000, 3000)));

            Object parts = new ResponseEncoder().encode(ALLOC, 42, HEADER_VERSION, zeroCopy, version);
            Object single = new ResponseEncoder().encode(ALLOC, 42, HEADER_VERSION, inMemory, version);

            assertThat(single).isInstanceOf(ByteBuf.class);
            assertThat(parts).isInstanceOf(ResponseEncoder.Parts.class);
            List<Object> list = ((ResponseEncoder.Parts) parts).parts();
            // Before v12 the last records end the frame; from v12 tagged fields follow them.
            assertThat(list).hasSize(version >= 12 ? 5 : 4);
            assertThat(list.get(0)).isInstanceOf(ByteBuf.class);
            assertThat(list.get(1)).isInstanceOf(FileRecordsRegion.class);
            assertThat(list.get(2)).isInstanceOf(ByteBuf.class);
            assertThat(list.get(3)).isInstanceOf(FileRecordsRegion.class);
            if (version >= 12) {
                assertThat(list.get(4)).isInstanceOf(ByteBuf.class);
            }
            assertThat(((FileRegion) list.get(1)).count()).isEqualTo(1000);
            assertThat(((FileRegion) list.get(3)).count()).isEqualTo(3000);
            // The buffer parts hold only what is not records.
            int bufferBytes = list.stream().filter(ByteBuf.class::isInstance).mapToInt(p -> ((ByteBuf) p).readableBytes()).sum();
            assertThat(bufferBytes).isEqualTo(((ByteBuf) single).readableBytes() - 4000);

            assertThat(wireBytes(parts)).as("v%d", version).isEqualTo(wireBytes(single));
            releaseAll(parts);
            releaseAll(single);
        }
        assertThat(file.released).hasValue(12);
    }

    @Test
    void copyModeForTlsWritesTheSameBytesInOneBuffer() throws IOException {
        FetchResponseData zeroCopy = fetchResponse(file.records(0, 700), file.records(900, 50));
        FetchResponseData inMemory = fetchResponse(MemoryRecords.of(file.bytes(0, 700)), MemoryRecords.of(file.bytes(900, 50)));

        Object copied = new ResponseEncoder(true).encode(ALLOC, 1, HEADER_VERSION, zeroCopy, (short) 17);
        Object single = new ResponseEncoder().encode(ALLOC, 1, HEADER_VERSION, inMemory, (short) 17);

        List<Object> parts = ((ResponseEncoder.Parts) copied).parts();
        assertThat(parts).hasSize(1).allMatch(ByteBuf.class::isInstance);
        assertThat(wireBytes(copied)).isEqualTo(wireBytes(single));
        // Copied out, the records were given back at once.
        assertThat(file.released).hasValue(2);
        releaseAll(copied);
        releaseAll(single);
    }

    @Test
    void regionsHoldTheRecordsUntilTheChannelReleasesThem() {
        FetchResponseData response = fetchResponse(file.records(0, 100), file.records(100, 100));

        Object parts = new ResponseEncoder().encode(ALLOC, 1, HEADER_VERSION, response, (short) 13);

        // The response's own references went with encoding; the regions still hold theirs.
        assertThat(file.released).hasValue(0);
        List<Object> list = ((ResponseEncoder.Parts) parts).parts();
        ReferenceCountUtil.release(list.get(1));
        assertThat(file.released).hasValue(1);
        releaseAll(new ResponseEncoder.Parts(list.subList(2, list.size())));
        ReferenceCountUtil.release(list.get(0));
        assertThat(file.released).hasValue(2);
    }

    @Test
    void aFailedEncodingReleasesEverything() {
        FetchResponseData response = fetchResponse(file.records(0, 100), file.records(100, 100));
        // A field v4 cannot carry: the write fails after the first records were turned into a region.
        response.responses().get(0).partitions().get(1).setPreferredReadReplica(3);

        assertThatThrownBy(() -> new ResponseEncoder().encode(ALLOC, 1, HEADER_VERSION, response, (short) 4))
                .isInstanceOf(RuntimeException.class);
        assertThat(file.released).hasValue(2);
    }

    @Test
    void unsentResponsesGiveTheirRecordsBack() {
        FetchResponseData response = fetchResponse(file.records(0, 10), MemoryRecords.EMPTY, file.records(10, 10));

        ResponseEncoder.releaseUnsent(response, (short) 12);

        assertThat(file.released).hasValue(2);
        // Other responses hold nothing and pass through untouched.
        ResponseEncoder.releaseUnsent(new MetadataResponseData(), (short) 12);
    }

    @Test
    void fetchResponsesWithoutFileRecordsStayInOneBuffer() {
        Object encoded = new ResponseEncoder().encode(ALLOC, 1, HEADER_VERSION,
                fetchResponse(MemoryRecords.of(new byte[] {1, 2, 3}), MemoryRecords.EMPTY), (short) 12);
        assertThat(encoded).isInstanceOf(ByteBuf.class);
        releaseAll(encoded);
    }

    @Test
    void emptyFileRecordsAddNoRegion() {
        Object encoded = new ResponseEncoder().encode(ALLOC, 1, HEADER_VERSION,
                fetchResponse(file.records(0, 0), file.records(0, 8)), (short) 12);
        List<Object> parts = ((ResponseEncoder.Parts) encoded).parts();
        assertThat(parts.stream().filter(FileRegion.class::isInstance)).hasSize(1);
        releaseAll(encoded);
        assertThat(file.released).hasValue(2);
    }
}
