package dev.vgate.ota.health;

import java.time.Duration;

/**
 * One check that a freshly booted slot works (CAN frames arrive, the broker connects, config and DBC load,
 * an external script passes). Must return within {@code budget}; a check that cannot tell yet may block up
 * to the budget waiting for evidence.
 */
public interface HealthCheck {
    String name();

    Result check(Duration budget) throws InterruptedException;

    record Result(boolean passed, String detail) {
        public static Result pass(String detail) { return new Result(true, detail); }
        public static Result fail(String detail) { return new Result(false, detail); }
    }
}
