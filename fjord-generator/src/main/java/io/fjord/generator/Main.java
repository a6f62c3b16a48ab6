package io.fjord.generator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Build-time entry point: {@code Main <specDir> <outputDir> <package>} writes one class per
 * {@code *.json} spec in specDir, plus the {@code ApiKey} enum.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: Main <specDir> <outputDir> <package>");
        }
        Path specDir = Path.of(args[0]);
        String packageName = args[2];
        Path outDir = Path.of(args[1]).resolve(packageName.replace('.', '/'));
        Files.createDirectories(outDir);
        List<Path> files;
        try (Stream<Path> list = Files.list(specDir)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no message specs in " + specDir);
        }
        List<MessageSpec> specs = new ArrayList<>();
        for (Path file : files) {
            MessageSpec spec;
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
                spec = MessageSpec.parse(json);
            } catch (RuntimeException e) {
                throw new IllegalStateException(file.getFileName() + ": " + e.getMessage(), e);
            }
            specs.add(spec);
            write(outDir.resolve(spec.className() + ".java"), new MessageGenerator(spec, packageName).generate());
        }
        write(outDir.resolve("ApiKey.java"), ApiKeyGenerator.generate(specs, packageName));
        System.out.println("fjord-generator: " + specs.size() + " message specs -> " + outDir);
    }

    /** Leaves unchanged files untouched so incremental compilation stays incremental. */
    private static void write(Path path, String content) throws IOException {
        if (Files.exists(path) && Files.readString(path, StandardCharsets.UTF_8).equals(content)) {
            return;
        }
        Files.writeString(path, content, StandardCharsets.UTF_8);
    }
}
