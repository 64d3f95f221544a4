package dev.vgate.mqtt;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.net.ServerSocket;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.*;

class NoDelaySocketsTest {
    @Test void plainSocketsHaveNagleOffBeforeAndAfterConnecting() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             Socket s = NoDelaySockets.plain().createSocket()) {
            assertTrue(s.getTcpNoDelay());
            s.connect(server.getLocalSocketAddress(), 5000);
            assertTrue(s.getTcpNoDelay());
        }
    }

    @Test void tlsSocketsHaveNagleOff() throws Exception {
        try (Socket s = NoDelaySockets.tls(SSLContext.getDefault().getSocketFactory()).createSocket()) {
            assertTrue(s.getTcpNoDelay());
            assertInstanceOf(javax.net.ssl.SSLSocket.class, s);
        }
    }
}
