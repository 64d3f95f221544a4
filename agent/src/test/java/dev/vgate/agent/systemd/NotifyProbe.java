package dev.vgate.agent.systemd;

/**
 * A stand-in for {@code vgate run} in the end-to-end notify test: the same start/loop/stop shape the daemon
 * has (READY=1 after start-up, WATCHDOG=1 from the main loop, STOPPING=1 on SIGTERM), nothing else.
 */
public final class NotifyProbe {
    private NotifyProbe() {}

    public static void main(String[] args) throws Exception {
        SdNotify notify = SdNotify.fromEnvironment();
        WatchdogPinger pinger = WatchdogPinger.of(notify);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> notify.stopping("probe stopping")));
        notify.ready("probe running, watchdog " + notify.watchdogInterval().map(d -> d.toMillis() + " ms").orElse("off"));
        long turn = pinger.pingPeriod().map(d -> Math.max(1, d.toMillis() / 10)).orElse(100L);
        while (true) { // the main loop: one turn of work, then the watchdog kick
            pinger.kick();
            Thread.sleep(turn);
        }
    }
}
