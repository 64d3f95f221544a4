package dev.vgate.agent.systemd;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * systemd's end of NOTIFY_SOCKET for tests: a python3 process (notify_receiver.py) binds the datagram
 * socket and reports each datagram with the sender's pid from SCM_CREDENTIALS, which is what systemd
 * checks for NotifyAccess=main. python3 is used because the JDK cannot open a datagram Unix socket.
 */
final class NotifyReceiver implements AutoCloseable {
    /** One datagram: who sent it (kernel-verified pid), when (receiver's monotonic ms), what. */
    record Datagram(long pid, long atMillis, String text) {}

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private NotifyReceiver(Process process) {
        this.process = process;
        Thread reader = new Thread(this::pump, "notify-receiver");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the receiver on {@code socketName}; skips the test when python3 is not installed. */
    static NotifyReceiver start(String socketName) throws IOException, InterruptedException {
        Path script;
        try {
            script = Path.of(NotifyReceiver.class.getResource("notify_receiver.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Process p;
        try {
            p = new ProcessBuilder("python3", script.toString(), socketName).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("python3 is not installed (listed in .ci/apt-packages): " + e.getMessage());
            throw e;
        }
        NotifyReceiver r = new NotifyReceiver(p);
        String first = r.lines.poll(20, TimeUnit.SECONDS);
        if (!"listening".equals(first)) {
            r.close();
            throw new IllegalStateException("notify receiver did not start: " + first);
        }
        return r;
    }

    /** The next datagram, or null when none arrives within the timeout. */
    Datagram next(long timeoutMillis) throws InterruptedException {
        String line = lines.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (line == null) return null;
        String[] parts = line.split(" ", 3);
        if (parts.length < 3) throw new IllegalStateException("receiver said: " + line);
        return new Datagram(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]);
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) lines.add(line);
        } catch (IOException e) {
            lines.add("receiver output failed: " + e);
        }
    }

    @Override public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
