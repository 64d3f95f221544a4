package dev.vgate.agent.systemd;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatchdogPingerTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private WatchdogPinger pinger(SdNotifyTest.RecordingTransport t, Duration interval) {
        return WatchdogPinger.of(new SocketNotify(t, Optional.ofNullable(interval)), now::get);
    }

    @Test void pingsAtMostOncePerHalfInterval() {
        SdNotifyTest.RecordingTransport t = new SdNotifyTest.RecordingTransport();
        WatchdogPinger p = pinger(t, Duration.ofSeconds(10));
        assertEquals(Optional.of(Duration.ofSeconds(5)), p.pingPeriod());
        assertTrue(p.kick(), "the first kick pings at once");
        now.addAndGet(Duration.ofMillis(4999).toNanos());
        assertFalse(p.kick());
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertTrue(p.kick());
        assertFalse(p.kick());
        now.addAndGet(Duration.ofSeconds(60).toNanos()); // a main loop that was stuck pings once when it recovers
        assertTrue(p.kick());
        assertFalse(p.kick());
        assertEquals(3, t.sent.size());
        assertTrue(t.sent.stream().allMatch("WATCHDOG=1"::equals));
    }

    @Test void withoutAWatchdogItNeverPings() {
        SdNotifyTest.RecordingTransport t = new SdNotifyTest.RecordingTransport();
        WatchdogPinger p = pinger(t, null);
        assertEquals(Optional.empty(), p.pingPeriod());
        assertFalse(p.kick());
        assertFalse(WatchdogPinger.of(SdNotify.DISABLED).kick());
        assertTrue(t.sent.isEmpty());
    }

    @Test void clockWrapIsHandled() {
        now.set(Long.MAX_VALUE - 1000);
        SdNotifyTest.RecordingTransport t = new SdNotifyTest.RecordingTransport();
        WatchdogPinger p = pinger(t, Duration.ofMillis(2));
        assertTrue(p.kick());
        now.addAndGet(Duration.ofMillis(1).toNanos()); // overflows past Long.MAX_VALUE
        assertTrue(p.kick());
    }
}
