package dev.vgate.mqtt.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's mosquitto in its own process on a free loopback port (tests that need a real broker: persistent
 * sessions, queued QoS 1 messages, SUBACK timing). Tests are skipped with a clear message when it is not
 * installed ({@code .ci/apt-packages} lists it). Shared with other modules via mqtt's test-jar.
 */
public final class Mosquitto implements AutoCloseable {
    private final Path config;
    private final Path log;
    private final int port;
    private final Process process;

    private Mosquitto(Path binary, Path dir, String... extraConfig) throws Exception {
        port = EmbeddedBroker.freePort();
        Files.createDirectories(dir);
        config = dir.resolve("mosquitto.conf");
        log = dir.resolve("mosquitto.log");
        Files.writeString(config, String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "persistence false",
                "max_queued_messages 10000",
                "log_dest stderr",
                String.join("\n", extraConfig),
                ""));
        process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) throw new IllegalStateException("mosquitto exited: " + Files.readString(log));
                Thread.sleep(20);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("mosquitto did not listen on " + port + " within 10 s: " + Files.readString(log));
    }

    /** Starts mosquitto with its config and log in {@code dir}; skips the test if mosquitto is not installed. */
    public static Mosquitto start(Path dir) throws Exception {
        return start(dir, new String[0]);
    }

    /** The same, with {@code extraConfig} lines appended to mosquitto.conf (e.g. "max_inflight_messages 2"). */
    public static Mosquitto start(Path dir, String... extraConfig) throws Exception {
        Path bin = find();
        assumeTrue(bin != null, "mosquitto is not installed (Debian package 'mosquitto', listed in .ci/apt-packages); skipping this real-broker test");
        return new Mosquitto(bin, dir, extraConfig);
    }

    static Path find() {
        for (String d : (System.getenv("PATH") + ":/usr/sbin:/usr/local/sbin").split(":")) {
            Path p = Path.of(d, "mosquitto");
            if (!d.isEmpty() && Files.isExecutable(p)) return p;
        }
        return null;
    }

    public String url() { return "tcp://127.0.0.1:" + port; }

    public int port() { return port; }

    @Override public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
