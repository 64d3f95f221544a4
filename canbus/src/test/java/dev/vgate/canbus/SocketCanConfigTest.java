package dev.vgate.canbus;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SocketCanConfigTest {
    @Test void impossibleSettingsAreRejectedNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SocketCanConfig(CanIdFilter.ALL, true, 65536, true, Duration.ZERO, Duration.ofSeconds(1)));
        assertEquals("reopen backoff must satisfy 0 < reopenMin <= reopenMax, got PT0S and PT1S", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SocketCanConfig(CanIdFilter.ALL, true, 65536, true, Duration.ofSeconds(2), Duration.ofSeconds(1)));
        e = assertThrows(IllegalArgumentException.class, () -> new SocketCanConfig(CanIdFilter.ALL, true, 100, true, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertEquals("receiveBufferBytes 100 below 4096", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SocketCanConfig(null, true, 65536, true, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    }

    @Test void defaultsAndWithers() {
        SocketCanConfig d = SocketCanConfig.defaults();
        assertEquals(4 << 20, d.receiveBufferBytes());
        assertEquals(8192, d.withReceiveBuffer(8192).receiveBufferBytes());
        CanIdFilter f = CanIdFilter.of(java.util.List.of(1), java.util.List.of());
        assertEquals(f, d.withFilter(f).filter());
    }
}
