package dev.vgate.mqtt.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP front for a real broker that misbehaves on the first connections the way brokers do after a restart,
 * then passes every later connection through. Per accepted connection, in order, one {@link Act}; once the
 * script is used up, connections are proxied to the broker behind it. Loopback, port 0.
 */
public final class ScriptedFront implements AutoCloseable {
    /** What the front does with one connection. */
    public enum Act {
        /** Reads the CONNECT, answers CONNACK (session present) and, in the same write, DISCONNECT 0x82 "protocol error"; closes. */
        CONNACK_THEN_PROTOCOL_ERROR,
        /** Reads the CONNECT and never answers (a broker that accepted the TCP connection and stalls). */
        NEVER_ANSWER,
        /**
         * Passes the client's packets to the broker but, after the CONNACK and the first PUBACK, none of the broker's
         * back (the client's later publishes stay unacknowledged), and cuts the connection after {@link #CUT_AFTER_MS}.
         */
        ACKS_LOST_THEN_CUT,
        /** Passes the connection through, the broker's packets each held back {@link #SLOW_ACK_MS} (a slow or loaded link). */
        SLOW_ACKS,
        /** Passes the connection through to the broker. */
        PASS
    }

    public static final long SLOW_ACK_MS = 40;

    public static final long CUT_AFTER_MS = 1500;
    private final ServerSocket server;
    private final int brokerPort;
    private final List<Act> script;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public ScriptedFront(int brokerPort, List<Act> script) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.brokerPort = brokerPort;
        this.script = List.copyOf(script);
        Thread t = new Thread(this::acceptLoop, "scripted-front");
        t.setDaemon(true);
        t.start();
    }

    public String url() { return "tcp://127.0.0.1:" + server.getLocalPort(); }

    /** Connections accepted so far. */
    public int accepted() { return accepted.get(); }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                open.add(s);
                int n = accepted.getAndIncrement();
                Act act = n < script.size() ? script.get(n) : Act.PASS;
                Thread t = new Thread(() -> handle(s, act), "scripted-front-" + n);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) throw new IllegalStateException("front accept failed", e);
            }
        }
    }

    private void handle(Socket s, Act act) {
        try {
            switch (act) {
                case CONNACK_THEN_PROTOCOL_ERROR -> {
                    readPacket(s.getInputStream());
                    // CONNACK: session present, success, no properties; DISCONNECT: reason 0x82, no properties
                    s.getOutputStream().write(new byte[] {0x20, 0x03, 0x01, 0x00, 0x00, (byte) 0xE0, 0x02, (byte) 0x82, 0x00});
                    s.getOutputStream().flush();
                    s.close();
                }
                case NEVER_ANSWER -> readPacket(s.getInputStream()); // the socket stays open until close()
                case ACKS_LOST_THEN_CUT -> {
                    Socket b = new Socket(InetAddress.getLoopbackAddress(), brokerPort);
                    open.add(b);
                    pipe(s.getInputStream(), b.getOutputStream(), b);
                    InputStream fromBroker = b.getInputStream();
                    OutputStream toClient = s.getOutputStream();
                    Thread drop = new Thread(() -> {
                        byte[] buf = new byte[8192];
                        try {
                            for (int i = 0; i < 2; i++) { // the CONNACK, the first PUBACK
                                toClient.write(readPacket(fromBroker));
                                toClient.flush();
                            }
                            while (fromBroker.read(buf) >= 0) { } // later PUBACKs and all: lost
                        } catch (IOException ignored) {
                            // cut
                        }
                    }, "scripted-front-drop");
                    drop.setDaemon(true);
                    drop.start();
                    Thread.sleep(CUT_AFTER_MS);
                    closeQuietly(s);
                    closeQuietly(b);
                }
                case SLOW_ACKS -> {
                    Socket b = new Socket(InetAddress.getLoopbackAddress(), brokerPort);
                    open.add(b);
                    pipe(s.getInputStream(), b.getOutputStream(), b);
                    InputStream fromBroker = b.getInputStream();
                    OutputStream toClient = s.getOutputStream();
                    Thread slow = new Thread(() -> {
                        try {
                            while (true) {
                                byte[] packet = readPacket(fromBroker);
                                Thread.sleep(SLOW_ACK_MS);
                                toClient.write(packet);
                                toClient.flush();
                            }
                        } catch (IOException | InterruptedException ended) {
                            closeQuietly(s);
                        }
                    }, "scripted-front-slow");
                    slow.setDaemon(true);
                    slow.start();
                }
                case PASS -> {
                    Socket b = new Socket(InetAddress.getLoopbackAddress(), brokerPort);
                    open.add(b);
                    pipe(s.getInputStream(), b.getOutputStream(), b);
                    pipe(b.getInputStream(), s.getOutputStream(), s);
                }
            }
        } catch (IOException e) {
            closeQuietly(s);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(s);
        }
    }

    private void pipe(InputStream in, OutputStream out, Socket other) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // either side closed
            }
            closeQuietly(other);
        }, "scripted-front-pipe");
        t.setDaemon(true);
        t.start();
    }

    /** Reads one MQTT control packet (fixed header, variable-length remaining length, body) and returns its bytes. */
    private static byte[] readPacket(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        java.io.ByteArrayOutputStream packet = new java.io.ByteArrayOutputStream();
        packet.write(d.readUnsignedByte());
        int length = 0;
        for (int shift = 0; ; shift += 7) {
            int b = d.readUnsignedByte();
            packet.write(b);
            length |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) break;
        }
        byte[] body = new byte[length];
        d.readFully(body);
        packet.write(body);
        return packet.toByteArray();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : open) closeQuietly(s);
    }
}
