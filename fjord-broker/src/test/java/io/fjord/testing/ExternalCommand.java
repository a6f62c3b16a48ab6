package io.fjord.testing;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a program the tests depend on (kcat, node), with a time limit, and collects what it prints. */
public final class ExternalCommand {
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private ExternalCommand() {
    }

    /**
     * The program's path on PATH; fails the test, naming {@code installHint}, when it is missing.
     * A missing client must fail loudly: a skipped compatibility test proves nothing.
     */
    public static Path require(String program, String installHint) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(program + " is not installed (not found on PATH=" + path + "); " + installHint);
    }

    public static Result run(List<String> command, Path workDir, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread outReader = drain(process.getInputStream(), out);
        Thread errReader = drain(process.getErrorStream(), err);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                outReader.join(5_000);
                errReader.join(5_000);
                throw new AssertionError(command + " did not finish within " + timeout + "; stdout: " + text(out)
                        + "; stderr: " + text(err));
            }
            outReader.join(5_000);
            errReader.join(5_000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
        return new Result(process.exitValue(), text(out), text(err));
    }

    private static String text(ByteArrayOutputStream bytes) {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream sink) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    synchronized (sink) {
                        sink.write(buffer, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the process went away; what was read is what there is
            }
        }, "drain");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
