package io.fjord.network;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/** A file of known bytes and FileRecords over ranges of it that count how often they are given back. */
final class FileRecordsFixture implements AutoCloseable {
    final byte[] content;
    final FileChannel channel;
    final AtomicInteger released = new AtomicInteger();

    FileRecordsFixture(Path dir, int size) throws IOException {
        content = new byte[size];
        for (int i = 0; i < size; i++) {
            content[i] = (byte) (i * 31 + 7);
        }
        Path file = dir.resolve("segment.log");
        Files.write(file, content);
        channel = FileChannel.open(file, StandardOpenOption.READ);
    }

    FileRecords records(int position, int length) {
        return new FileRecords(channel, position, length, released::incrementAndGet);
    }

    byte[] bytes(int position, int length) {
        byte[] bytes = new byte[length];
        System.arraycopy(content, position, bytes, 0, length);
        return bytes;
    }

    ByteBuffer buffer(int position, int length) {
        return ByteBuffer.wrap(bytes(position, length));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
