package dev.vgate.mqtt;

import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/**
 * Socket factories with Nagle's algorithm off (TCP_NODELAY). MQTT traffic is small packets in both
 * directions (PUBLISH, PUBACK, a command's ACK and RESULT); with Nagle on, a small write waits for the
 * TCP acknowledgement of the previous one, which the peer delays by up to 40 ms. Measured on a
 * loopback broker: a command round trip of ~90 ms instead of a few (docs/benchmarks.md#commands).
 * Paho creates an unconnected socket with {@code createSocket()} and connects it itself.
 */
public final class NoDelaySockets {
    private NoDelaySockets() {}

    static Socket noDelay(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        return s;
    }

    /** Plain TCP (tcp://, ws://). */
    public static SocketFactory plain() { return Plain.INSTANCE; }

    /** TLS (ssl://, wss://) through {@code tls}. */
    public static SSLSocketFactory tls(SSLSocketFactory tls) { return new Tls(tls); }

    private static final class Plain extends SocketFactory {
        static final Plain INSTANCE = new Plain();

        @Override public Socket createSocket() throws IOException { return noDelay(new Socket()); }

        @Override public Socket createSocket(String host, int port) throws IOException { return noDelay(new Socket(host, port)); }

        @Override public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return noDelay(new Socket(host, port, local, localPort));
        }

        @Override public Socket createSocket(InetAddress host, int port) throws IOException { return noDelay(new Socket(host, port)); }

        @Override public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort) throws IOException {
            return noDelay(new Socket(address, port, local, localPort));
        }
    }

    private static final class Tls extends SSLSocketFactory {
        private final SSLSocketFactory d;

        Tls(SSLSocketFactory delegate) { this.d = delegate; }

        @Override public String[] getDefaultCipherSuites() { return d.getDefaultCipherSuites(); }

        @Override public String[] getSupportedCipherSuites() { return d.getSupportedCipherSuites(); }

        @Override public Socket createSocket() throws IOException { return noDelay(d.createSocket()); }

        @Override public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return noDelay(d.createSocket(s, host, port, autoClose));
        }

        @Override public Socket createSocket(String host, int port) throws IOException { return noDelay(d.createSocket(host, port)); }

        @Override public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return noDelay(d.createSocket(host, port, local, localPort));
        }

        @Override public Socket createSocket(InetAddress host, int port) throws IOException { return noDelay(d.createSocket(host, port)); }

        @Override public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort) throws IOException {
            return noDelay(d.createSocket(address, port, local, localPort));
        }
    }
}
