package dev.vgate.buffer.testing;

import dev.vgate.mqtt.testing.EmbeddedBroker;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** mosquitto in its own process on a free loopback port, with a generated config (tests skip if it is not installed). */
public final class MosquittoBroker implements TestBroker {
    private final Path binary;
    private final Path config;
    private final Path logFile;
    private final int port;
    private Process process;

    private MosquittoBroker(Path binary, Path dir) throws IOException {
        this.binary = binary;
        this.port = EmbeddedBroker.freePort();
        this.config = dir.resolve("mosquitto.conf");
        this.logFile = dir.resolve("mosquitto.log");
        Files.writeString(config, String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "persistence false",
                "max_inflight_messages 20",
                "message_size_limit 0",
                "log_dest stderr",
                ""));
    }

    public static MosquittoBroker start(Path dir) throws Exception {
        Path bin = find();
        assumeTrue(bin != null, "mosquitto is not installed (Debian package 'mosquitto', listed in .ci/apt-packages); skipping the out-of-process broker test");
        MosquittoBroker b = new MosquittoBroker(bin, dir);
        b.startAgain();
        return b;
    }

    /** Whether a mosquitto binary is on PATH or in /usr/sbin. */
    public static boolean installed() { return find() != null; }

    static Path find() {
        for (String d : (System.getenv("PATH") + ":/usr/sbin:/usr/local/sbin").split(":")) {
            Path p = Path.of(d, "mosquitto");
            if (!d.isEmpty() && Files.isExecutable(p)) return p;
        }
        return null;
    }

    @Override public String url() { return "tcp://127.0.0.1:" + port; }

    @Override public synchronized void startAgain() throws Exception {
        if (process != null) return;
        process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) throw new IllegalStateException("mosquitto exited: " + Files.readString(logFile));
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("mosquitto did not listen on " + port + " within 10 s: " + Files.readString(logFile));
    }

    @Override public synchronized void stop() throws Exception {
        if (process == null) return;
        process.destroy(); // SIGTERM: the broker goes away, connections drop
        process.waitFor();
        process = null;
    }

    @Override public void close() {
        try {
            stop();
        } catch (Exception e) {
            if (process != null) process.destroyForcibly();
        }
    }

    @Override public String toString() { return "mosquitto"; }
}
