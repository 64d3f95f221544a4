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
    private final java.util.Map<String, CapturePolicy> captures;
    private final int preTriggerSamples;

    /** Samples the pre-trigger ring of each bus holds when the file does not say (20 bytes each: 640 KiB). */
    public static final int DEFAULT_PRE_TRIGGER_SAMPLES = 32_768;

    public CollectionPolicy(SignalPolicy defaultPolicy, List<PolicyRule> rules, String source) {
        this(defaultPolicy, rules, source, java.util.Map.of(), DEFAULT_PRE_TRIGGER_SAMPLES);
    }

    /**
     * @param captures          named capture policies ({@code full-rate} is added when absent)
     * @param preTriggerSamples capacity of each bus's pre-trigger ring, in samples
     */
    public CollectionPolicy(SignalPolicy defaultPolicy, List<PolicyRule> rules, String source,
                            java.util.Map<String, CapturePolicy> captures, int preTriggerSamples) {
        this.defaultPolicy = defaultPolicy;
        this.rules = List.copyOf(rules);
        this.source = source;
        java.util.Map<String, CapturePolicy> c = new java.util.LinkedHashMap<>(captures);
        c.putIfAbsent(CapturePolicy.FULL_RATE.name(), CapturePolicy.FULL_RATE);
        this.captures = java.util.Collections.unmodifiableMap(c);
        this.preTriggerSamples = preTriggerSamples;
    }

    /** The capture policy named {@code name}, or null. */
    public CapturePolicy capture(String name) { return captures.get(name); }

    public java.util.Map<String, CapturePolicy> captures() { return captures; }

    /** Capacity of each bus's pre-trigger ring (samples). */
    public int preTriggerSamples() { return preTriggerSamples; }

    /** Bytes of one pre-trigger sample in a bus collector's ring: its time (long), signal index (int) and raw value (long). */
    public static final int PRE_TRIGGER_SAMPLE_BYTES = 20;

    /**
     * Heap one bus collector's pre-trigger ring takes (each DBC of each bus has a collector); counted in the rules'
     * memory budget, rules_memory, whose captures read it.
     */
    public long preTriggerRingBytes() { return (long) PRE_TRIGGER_SAMPLE_BYTES * preTriggerSamples + 3 * 16; }

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
