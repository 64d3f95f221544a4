package dev.vgate.bench.fleet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's mosquitto, started by the simulator on a free loopback port with a configuration for many
 * clients: no connection limit, the fd limit raised as far as the hard limit allows, persistence on (so
 * sessions and queued QoS 1 messages survive the stop/start of an outage; saved at shutdown).
 */
final class Mosquitto implements AutoCloseable {
    private final Path binary;
    private final Path dir;
    private final int port;
    private Process process;

    Mosquitto(Path binary, Path parent) throws IOException {
        this.binary = binary;
        // started as root, mosquitto drops to the 'mosquitto' user: its folder must be writable for it
        this.dir = Files.createDirectory(parent.resolve("broker"));
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            this.port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "max_connections -1",
                "persistence true",
                "persistence_location " + dir + "/",
                "autosave_interval 0",
                "max_queued_messages 1000000",
                // 0 = no limit (Receive Maximum 65535): Paho 1.2.5 re-sends every unacknowledged QoS 1 publish
                // at once after a reconnect, and a smaller limit makes the broker drop it with 0x82 (docs/fleet.md)
                "max_inflight_messages 0",
                "set_tcp_nodelay true",
                "log_dest file " + dir.resolve("mosquitto.log"),
                "log_type error",
                "log_type warning",
                "log_type notice", "log_type information",
                "") );
    }

    int port() { return port; }

    String uri() { return "tcp://127.0.0.1:" + port; }

    void start() throws IOException, InterruptedException {
        // the broker needs one fd per client: raise the soft limit to the hard limit
        process = new ProcessBuilder(List.of("bash", "-c", "ulimit -n $(ulimit -Hn); exec \"$0\" -c \"$1\"", binary.toString(), dir.resolve("mosquitto.conf").toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException("mosquitto exited with " + process.exitValue() + ": " + Files.readString(dir.resolve("mosquitto.out")));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("mosquitto did not listen on " + port + " within 20 s");
    }

    /** SIGTERM (mosquitto saves its persistence file) and wait. */
    void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        process = null;
    }

    long pid() { return process == null ? -1 : process.pid(); }

    @Override public void close() throws InterruptedException { stop(); }
}
