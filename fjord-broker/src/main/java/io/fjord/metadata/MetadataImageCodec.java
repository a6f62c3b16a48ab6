package io.fjord.metadata;

import io.fjord.network.Endpoint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The bytes of a metadata image on disk. A fixed header (magic "FJMD", format version, body length,
 * CRC32C of the body) lets a reader tell a damaged file from an old or foreign one before parsing
 * anything; the body is big-endian fields with length-prefixed UTF-8 strings.
 *
 * <p>Format 2 adds the cluster id, the registered brokers and each partition's partition epoch,
 * offline, adding and removing replicas. Format 1 files (written before there were brokers in the
 * image) are still read: their partitions get partition epoch 0 and no reassignment.
 *
 * <p>Format 3 adds each broker's controlled-shutdown flag after its fenced flag; format 2 files are read
 * with no broker in controlled shutdown.
 */
final class MetadataImageCodec {
    static final int MAGIC = 0x464A4D44; // "FJMD"
    static final short FORMAT_VERSION = 3;
    static final short FORMAT_V2 = 2;
    static final short FORMAT_V1 = 1;
    static final int HEADER_SIZE = 4 + 2 + 4 + 4;

    private MetadataImageCodec() {
    }

    static byte[] encode(MetadataImage image) {
        ByteArrayOutputStream bodyBytes = new ByteArrayOutputStream(4096);
        try (DataOutputStream out = new DataOutputStream(bodyBytes)) {
            out.writeLong(image.version());
            out.writeLong(image.nextProducerId());
            writeNullableString(out, image.clusterId());
            out.writeInt(image.topicImages().size());
            for (TopicImage topic : image.topicImages()) {
                out.writeLong(topic.id().getMostSignificantBits());
                out.writeLong(topic.id().getLeastSignificantBits());
                writeString(out, topic.name());
                writeMap(out, topic.configs());
                List<PartitionInfo> partitions = topic.info().partitions();
                out.writeInt(partitions.size());
                for (PartitionInfo p : partitions) {
                    out.writeInt(p.partition());
                    out.writeInt(p.leaderId());
                    out.writeInt(p.leaderEpoch());
                    out.writeInt(p.partitionEpoch());
                    writeInts(out, p.replicas());
                    writeInts(out, p.isr());
                    writeInts(out, p.offlineReplicas());
                    writeInts(out, p.addingReplicas());
                    writeInts(out, p.removingReplicas());
                }
            }
            Map<String, Map<String, String>> brokers = image.allBrokerConfigs();
            out.writeInt(brokers.size());
            for (Map.Entry<String, Map<String, String>> e : brokers.entrySet()) {
                writeString(out, e.getKey());
                writeMap(out, e.getValue());
            }
            out.writeInt(image.brokers().size());
            for (BrokerRegistration b : image.brokers().values()) {
                writeBroker(out, b);
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        byte[] body = bodyBytes.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body);
        return ByteBuffer.allocate(HEADER_SIZE + body.length)
                .putInt(MAGIC)
                .putShort(FORMAT_VERSION)
                .putInt(body.length)
                .putInt((int) crc.getValue())
                .put(body)
                .array();
    }

    /**
     * @throws IOException naming what is wrong when the bytes are not a whole, intact image of a
     *     format version we know
     */
    static MetadataImage decode(byte[] bytes) throws IOException {
        if (bytes.length < HEADER_SIZE) {
            throw new IOException("shorter (" + bytes.length + " bytes) than the " + HEADER_SIZE + "-byte header");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes, 0, HEADER_SIZE);
        int magic = header.getInt();
        if (magic != MAGIC) {
            throw new IOException("not a metadata image (magic " + Integer.toHexString(magic) + ")");
        }
        short version = header.getShort();
        if (version != FORMAT_VERSION && version != FORMAT_V2 && version != FORMAT_V1) {
            throw new IOException("unknown format version " + version + " (this build reads " + FORMAT_VERSION + ")");
        }
        int length = header.getInt();
        int expectedCrc = header.getInt();
        if (length != bytes.length - HEADER_SIZE) {
            throw new IOException("header says " + length + " body bytes, file has " + (bytes.length - HEADER_SIZE));
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, HEADER_SIZE, length);
        if ((int) crc.getValue() != expectedCrc) {
            throw new IOException("CRC mismatch: the file is damaged");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, HEADER_SIZE, length))) {
            long imageVersion = in.readLong();
            long nextProducerId = in.readLong();
            boolean v2 = version >= 2;
            MetadataImage.Builder builder = MetadataImage.EMPTY.toBuilder().nextProducerId(nextProducerId);
            if (v2) {
                builder.clusterId(readNullableString(in));
            }
            int topicCount = in.readInt();
            for (int t = 0; t < topicCount; t++) {
                UUID id = new UUID(in.readLong(), in.readLong());
                String name = readString(in);
                Map<String, String> configs = readMap(in);
                int partitionCount = in.readInt();
                List<PartitionInfo> partitions = new ArrayList<>(partitionCount);
                for (int p = 0; p < partitionCount; p++) {
                    int index = in.readInt();
                    int leader = in.readInt();
                    int epoch = in.readInt();
                    int partitionEpoch = v2 ? in.readInt() : 0;
                    List<Integer> replicas = readInts(in);
                    List<Integer> isr = readInts(in);
                    if (v2) {
                        partitions.add(new PartitionInfo(index, leader, epoch, replicas, isr, readInts(in), partitionEpoch,
                                readInts(in), readInts(in)));
                    } else {
                        partitions.add(new PartitionInfo(index, leader, epoch, replicas, isr, List.of()));
                    }
                }
                builder.putTopic(new TopicImage(new TopicInfo(name, id, TopicNames.isInternal(name), partitions), configs));
            }
            int brokerCount = in.readInt();
            for (int b = 0; b < brokerCount; b++) {
                builder.brokerConfigs(readString(in), readMap(in));
            }
            if (v2) {
                int registered = readCount(in, 4 + 1 + 8 + 1 + 4 + 1);
                for (int b = 0; b < registered; b++) {
                    builder.putBroker(readBroker(in, version >= 3));
                }
            }
            if (in.available() > 0) {
                throw new IOException(in.available() + " bytes left after the image");
            }
            return builder.buildAs(imageVersion);
        }
    }

    private static void writeBroker(DataOutputStream out, BrokerRegistration b) throws IOException {
        out.writeInt(b.id());
        out.writeBoolean(b.incarnationId() != null);
        if (b.incarnationId() != null) {
            out.writeLong(b.incarnationId().getMostSignificantBits());
            out.writeLong(b.incarnationId().getLeastSignificantBits());
        }
        out.writeLong(b.epoch());
        writeNullableString(out, b.rack());
        out.writeInt(b.endpoints().size());
        for (Endpoint e : b.endpoints()) {
            writeString(out, e.listenerName());
            writeString(out, e.host());
            out.writeInt(e.port());
        }
        out.writeBoolean(b.fenced());
        out.writeBoolean(b.inControlledShutdown());
    }

    private static BrokerRegistration readBroker(DataInputStream in, boolean withShutdownFlag) throws IOException {
        int id = in.readInt();
        UUID incarnation = in.readBoolean() ? new UUID(in.readLong(), in.readLong()) : null;
        long epoch = in.readLong();
        String rack = readNullableString(in);
        int endpointCount = readCount(in, 12);
        List<Endpoint> endpoints = new ArrayList<>(endpointCount);
        for (int i = 0; i < endpointCount; i++) {
            endpoints.add(new Endpoint(readString(in), readString(in), in.readInt()));
        }
        boolean fenced = in.readBoolean();
        boolean shuttingDown = withShutdownFlag && in.readBoolean();
        return new BrokerRegistration(id, incarnation, epoch, rack, endpoints, fenced, shuttingDown);
    }

    private static void writeNullableString(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            writeString(out, s);
        }
    }

    private static String readNullableString(DataInputStream in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("string length " + length + " out of range");
        }
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
    }

    private static Map<String, String> readMap(DataInputStream in) throws IOException {
        int size = readCount(in, 8);
        Map<String, String> map = new LinkedHashMap<>(size * 2);
        for (int i = 0; i < size; i++) {
            map.put(readString(in), readString(in));
        }
        return map;
    }

    private static void writeInts(DataOutputStream out, List<Integer> ints) throws IOException {
        out.writeInt(ints.size());
        for (int v : ints) {
            out.writeInt(v);
        }
    }

    private static List<Integer> readInts(DataInputStream in) throws IOException {
        int size = readCount(in, 4);
        List<Integer> ints = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            ints.add(in.readInt());
        }
        return ints;
    }

    /** A count of items at least {@code minItemBytes} each; refuses counts the remaining bytes cannot hold. */
    private static int readCount(DataInputStream in, int minItemBytes) throws IOException {
        int count = in.readInt();
        if (count < 0 || (long) count * minItemBytes > in.available()) {
            throw new IOException("count " + count + " out of range");
        }
        return count;
    }
}
