package io.fjord.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Shared pieces of the generated codecs. */
public final class MessageUtil {
    public static final UUID ZERO_UUID = new UUID(0L, 0L);
    public static final byte[] EMPTY_BYTES = new byte[0];

    private MessageUtil() {
    }

    public static List<RawTaggedField> addRawTaggedField(List<RawTaggedField> fields, int tag, byte[] data) {
        List<RawTaggedField> list = fields == null ? new ArrayList<>(1) : fields;
        list.add(new RawTaggedField(tag, data));
        return list;
    }

    /**
     * Writes the unknown tagged fields from {@code index} on whose tag is below {@code beforeTag},
     * and returns the index of the first one not written. Tags must ascend on the wire.
     */
    public static int writeRawTaggedFields(Writable writable, List<RawTaggedField> fields, int index, int beforeTag) {
        if (fields == null) {
            return index;
        }
        int i = index;
        int previous = i == 0 ? -1 : fields.get(i - 1).tag();
        while (i < fields.size() && fields.get(i).tag() < beforeTag) {
            RawTaggedField field = fields.get(i);
            if (field.tag() <= previous) {
                throw new IllegalArgumentException("unknown tagged fields out of order: tag " + field.tag()
                        + " follows tag " + previous);
            }
            writable.writeUnsignedVarint(field.tag());
            writable.writeUnsignedVarint(field.data().length);
            writable.writeByteArray(field.data());
            previous = field.tag();
            i++;
        }
        if (beforeTag == Integer.MAX_VALUE && i < fields.size()) {
            throw new IllegalArgumentException("unknown tagged field " + fields.get(i).tag() + " is out of order");
        }
        return i;
    }

    public static int sizeOfRawTaggedFields(List<RawTaggedField> fields) {
        int size = 0;
        for (RawTaggedField field : fields) {
            size += ByteUtils.sizeOfUnsignedVarint(field.tag()) + ByteUtils.sizeOfUnsignedVarint(field.size()) + field.size();
        }
        return size;
    }

    /** Absent and empty lists of unknown tags are the same thing. */
    public static boolean rawTaggedFieldsEqual(List<RawTaggedField> a, List<RawTaggedField> b) {
        boolean aEmpty = a == null || a.isEmpty();
        boolean bEmpty = b == null || b.isEmpty();
        if (aEmpty || bEmpty) {
            return aEmpty == bEmpty;
        }
        return a.equals(b);
    }
}
