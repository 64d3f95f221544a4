package dev.vgate.ota.health;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A check on the running agent itself (frames arrived on can0, the broker connected, the DBC loaded):
 * polls {@code probe} until it reports success or the budget runs out. The probe returns empty while the
 * evidence is missing, or a short detail once it is there; its last "why not" goes into the failure.
 */
public final class ConditionHealthCheck implements HealthCheck {
    /** One look at the evidence: passed with a detail, or not (yet) with the reason. */
    public record Probe(boolean ok, String detail) {
        public static Probe ok(String detail) { return new Probe(true, detail); }
        public static Probe notYet(String why) { return new Probe(false, why); }
    }

    private final String name;
    private final Supplier<Probe> probe;
    private final Duration poll;

    public ConditionHealthCheck(String name, Supplier<Probe> probe, Duration poll) {
        this.name = name;
        this.probe = probe;
        this.poll = poll;
    }

    /** For a plain yes/no condition. */
    public static ConditionHealthCheck of(String name, java.util.function.BooleanSupplier condition, String missing) {
        return new ConditionHealthCheck(name, () -> condition.getAsBoolean() ? Probe.ok("") : Probe.notYet(missing), Duration.ofMillis(200));
    }

    @Override public String name() { return name; }

    @Override public Result check(Duration budget) throws InterruptedException {
        long end = System.nanoTime() + budget.toNanos();
        Probe last;
        while (true) {
            last = look();
            if (last.ok()) return Result.pass(last.detail());
            long left = end - System.nanoTime();
            if (left <= 0) return Result.fail(Optional.ofNullable(last.detail()).orElse("condition not met") + " (waited " + budget.toMillis() + " ms)");
            Thread.sleep(Math.max(1, Math.min(poll.toMillis(), left / 1_000_000)));
        }
    }

    private Probe look() {
        try {
            Probe p = probe.get();
            return p == null ? Probe.notYet("probe answered nothing") : p;
        } catch (RuntimeException e) {
            return Probe.notYet("probe failed: " + dev.vgate.input.ErrorText.of(e));
        }
    }
}
