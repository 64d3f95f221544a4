package dev.vgate.buffer;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaemonThreadTest {

    @Test void startsOneNamedDaemonAndStopInterruptsAndJoinsIt() throws Exception {
        DaemonThread d = new DaemonThread("vgate-test-loop");
        AtomicInteger starts = new AtomicInteger();
        AtomicReference<Thread> seen = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Runnable loop = () -> {
            starts.incrementAndGet();
            seen.set(Thread.currentThread());
            started.countDown();
            while (d.running()) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        };
        d.start(loop);
        d.start(loop); // already running: no second thread
        assertTrue(started.await(5, TimeUnit.SECONDS));
        assertTrue(d.running());
        assertEquals("vgate-test-loop", seen.get().getName());
        assertTrue(seen.get().isDaemon());
        d.stop(5000);
        assertFalse(d.running());
        assertFalse(seen.get().isAlive(), "stop waited for the thread to end");
        assertEquals(1, starts.get());
        d.stop(5000); // idempotent
    }

    @Test void stopWithoutStartIsANoOpAndACallersInterruptIsKept() {
        new DaemonThread("never-started").stop(10);
        DaemonThread d = new DaemonThread("stubborn");
        CountDownLatch release = new CountDownLatch(1);
        d.start(() -> {
            while (true) {
                try {
                    if (release.await(10, TimeUnit.SECONDS)) return;
                } catch (InterruptedException e) {
                    // ignores the interrupt: stop must give up after its timeout
                }
            }
        });
        Thread.currentThread().interrupt();
        d.stop(5000); // the join is interrupted at once
        assertTrue(Thread.interrupted(), "the caller's interrupt status is restored");
        release.countDown();
    }
}
