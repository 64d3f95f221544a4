package dev.vgate.rules;

/**
 * Takes rule alerts. Implemented by the daemon: publish on the alert topic with QoS 1 and store the alert in
 * the telemetry buffer, so it reaches the cloud even when the link is down. Called on the receiving thread:
 * it must enqueue, never block. A safety alert is never dropped: when a queue is full the implementation
 * stores it (the buffer) rather than discarding it.
 */
@FunctionalInterface
public interface AlertSink {
    void publish(RuleAlert alert);

    AlertSink NONE = alert -> {};
}
