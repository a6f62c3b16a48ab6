package io.fjord.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of Apache Kafka's own command-line tools (from {@code kafka-tools}) in a child JVM. The
 * tools pull in Kafka's broker-side artifacts, which must never be on Fjord's classpath, so the
 * {@code kafka-reference} module resolves them into a classpath file of their own.
 */
public final class KafkaTools {
    private KafkaTools() {}

    public record Result(int exitCode, String stdout, String stderr) {}

    /** Runs {@code mainClass} with {@code args}; fails when it does not end within a minute. */
    public static Result run(String mainClass, String... args) {
        String file = System.getProperty("fjord.kafka.tools.classpath");
        if (file == null || !Files.isRegularFile(Path.of(file))) {
            throw new IllegalStateException("No Kafka tools classpath at " + file
                    + "; build the kafka-reference module first (./mvnw -pl fjord-broker -am ...)");
        }
        try {
            String classpath = Files.readString(Path.of(file)).trim();
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new ArrayList<>(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                    "-cp", classpath, mainClass));
            command.addAll(List.of(args));
            Path out = Files.createTempFile("kafka-tool", ".out");
            Path err = Files.createTempFile("kafka-tool", ".err");
            try {
                Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(mainClass + " did not finish within 60 s");
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
