package io.fjord.protocol;

import java.util.Arrays;

/** A tagged field this code has no name for: its tag and its bytes, exactly as read. */
public record RawTaggedField(int tag, byte[] data) {

    public int size() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawTaggedField other && tag == other.tag && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * tag + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "RawTaggedField(tag=" + tag + ", " + data.length + " bytes)";
    }
}
