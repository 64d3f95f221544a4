package dev.vgate.buffer.policy;

import java.util.List;

/**
 * A named set of signals a rule's {@code capture} action records at full rate around its trigger
 * ({@code captures:} in the collection policy file). {@link #FULL_RATE}, named {@code full-rate}, is built in:
 * every signal.
 */
public record CapturePolicy(String name, List<PolicyRule> signals) {
    public static final CapturePolicy FULL_RATE = new CapturePolicy("full-rate",
            List.of(PolicyRule.of("built-in full-rate", "*", null, SignalPolicy.EVERY_NORMAL)));

    public CapturePolicy {
        signals = List.copyOf(signals);
    }

    public boolean matches(String bus, String message, String signal) {
        for (PolicyRule r : signals) if (r.matches(bus, message, signal)) return true;
        return false;
    }
}
