package dev.vgate.buffer.policy;

import java.util.List;

/**
 * An immutable, validated policy: the first matching rule decides, otherwise the default. Swapped as a
 * whole at run time ({@code Collector.replacePolicy}); the per-signal state of the collector survives.
 */
public final class CollectionPolicy {
    private final SignalPolicy defaultPolicy;
    private final List<PolicyRule> rules;
    private final String source;

    public CollectionPolicy(SignalPolicy defaultPolicy, List<PolicyRule> rules, String source) {
        this.defaultPolicy = defaultPolicy;
        this.rules = List.copyOf(rules);
        this.source = source;
    }

    /** The default when no file is configured: every sample of every decodable signal, normal priority. */
    public static CollectionPolicy everySample() {
        return new CollectionPolicy(SignalPolicy.EVERY_NORMAL, List.of(), "built-in default (every sample)");
    }

    public SignalPolicy resolve(String bus, String message, String signal) {
        for (PolicyRule r : rules) if (r.matches(bus, message, signal)) return r.policy();
        return defaultPolicy;
    }

    public SignalPolicy defaultPolicy() { return defaultPolicy; }

    public List<PolicyRule> rules() { return rules; }

    /** Where it came from (file name or "built-in ..."), for logs. */
    public String source() { return source; }
}
