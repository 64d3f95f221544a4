package dev.vgate.buffer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP forwarder in front of a broker that the test can close (connections drop, new ones are
 * refused) and open again. It decides when the vehicle gets its network back, independently of the broker.
 */
public final class TcpGate implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean open = true;

    public TcpGate(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tcp-gate-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    public static TcpGate to(String brokerUrl) throws IOException {
        return new TcpGate(Integer.parseInt(brokerUrl.substring(brokerUrl.lastIndexOf(':') + 1)));
    }

    public String url() { return "tcp://127.0.0.1:" + server.getLocalPort(); }

    /** Closed: every forwarded connection is dropped and new ones are closed at once. */
    public void setOpen(boolean open) {
        this.open = open;
        if (!open) {
            for (Socket s : sockets) closeQuietly(s);
            sockets.clear();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (!open) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException brokerDown) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
            } catch (IOException ignored) {
                // either side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-gate-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override public void close() {
        setOpen(false);
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
