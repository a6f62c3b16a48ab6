package io.fjord.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** {@code fjord} run as its own JVM on this test's classpath, the way a user runs it. */
final class FjordProcess implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private final Thread outReader;
    private final Thread errReader;

    private FjordProcess(Process process) {
        this.process = process;
        this.outReader = read(process.getInputStream(), line -> {
            synchronized (stdout) {
                stdout.add(line);
            }
            stdoutLines.add(line);
        });
        this.errReader = read(process.getErrorStream(), line -> {
            synchronized (stderr) {
                stderr.add(line);
            }
        });
    }

    static FjordProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        int feature = Runtime.version().feature();
        if (feature >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        if (feature >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Fjord.class.getName());
        command.addAll(List.of(args));
        return new FjordProcess(new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start());
    }

    private interface LineSink {
        void accept(String line);
    }

    private static Thread read(InputStream in, LineSink sink) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }, "fjord-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The first stdout line containing {@code text}, waiting up to {@code timeout}; null if none came. */
    String awaitLine(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            // Short polls: a process that died without the line must end the wait, not the timeout.
            String line = stdoutLines.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
            if (line != null && line.contains(text)) {
                return line;
            }
            if (line == null && !process.isAlive()) {
                // Lines still in the reader's hands once the pipe closes.
                outReader.join(1_000);
                line = stdoutLines.poll();
                while (line != null) {
                    if (line.contains(text)) {
                        return line;
                    }
                    line = stdoutLines.poll();
                }
                return null;
            }
        }
    }

    /** Waits for the exit; returns the exit code, or fails when it takes longer than {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("fjord did not exit within " + timeout + "; stdout: " + stdout() + "; stderr: " + stderr());
        }
        outReader.join(5_000);
        errReader.join(5_000);
        return process.exitValue();
    }

    Process process() {
        return process;
    }

    List<String> stdout() {
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    List<String> stderr() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
