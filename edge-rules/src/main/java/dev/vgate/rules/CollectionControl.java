package dev.vgate.rules;

/**
 * Switches telemetry collection around an event: record everything under {@code policy} from {@code pre}
 * before the event (taken from the pre-trigger ring buffer) to {@code post} after it. Implemented by the
 * telemetry module; called on the receiving thread, so it must not block.
 */
@FunctionalInterface
public interface CollectionControl {
    void trigger(String rule, String policy, long eventNanos, long preNanos, long postNanos);

    CollectionControl NONE = (rule, policy, eventNanos, preNanos, postNanos) -> {};
}
