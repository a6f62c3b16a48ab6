package io.fjord.metadata;

import java.io.IOException;

/**
 * A whole metadata image as bytes and back, in the format of the single-node image file (magic,
 * format version, CRC): what a Raft snapshot of the metadata log holds.
 */
public final class MetadataImages {

    private MetadataImages() {
    }

    public static byte[] encode(MetadataImage image) {
        return MetadataImageCodec.encode(image);
    }

    /** @throws IOException naming what is wrong when the bytes are not a whole, intact image of a known format */
    public static MetadataImage decode(byte[] bytes) throws IOException {
        return MetadataImageCodec.decode(bytes);
    }
}
