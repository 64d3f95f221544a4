package dev.vgate.agent.cli;

import dev.vgate.rules.AlertSink;
import dev.vgate.rules.RuleAlert;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Alerts as JSON lines, written by its own thread so the CAN receive thread never waits for a terminal or pipe. */
final class AlertPrinter implements AlertSink, AutoCloseable {
    private final BlockingQueue<RuleAlert> queue = new LinkedBlockingQueue<>(); // unbounded: an alert is never dropped
    private final Thread thread;
    private volatile boolean running = true;

    AlertPrinter(Consumer<String> out) {
        thread = new Thread(() -> {
            try {
                while (running || !queue.isEmpty()) {
                    RuleAlert a = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (a != null) out.accept(a.toJson());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "rules-alert-printer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override public void publish(RuleAlert alert) { queue.add(alert); }

    @Override public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
