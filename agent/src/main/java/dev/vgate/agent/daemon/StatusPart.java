package dev.vgate.agent.daemon;

import dev.vgate.agent.config.VgateConfig;
import dev.vgate.mqtt.MqttLink;
import org.tinylog.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Writes the status file for {@code vgate status} every few seconds (so a stale file means a hung or dead
 * agent) and publishes the same summary, retained, every {@code status.publish_period}. The last report,
 * at the stop, says {@code "running": false}.
 */
final class StatusPart implements Service {
    private static final long FILE_REFRESH_MS = 5000;
    private final VgateConfig config;
    private final Clock clock;
    private final MqttLink mqtt;
    private final ScheduledExecutorService timers;
    private final Supplier<Map<String, Object>> report;
    private final BooleanSupplier stopped;
    private long lastPublishMs = Long.MIN_VALUE / 2;

    /** @param report the daemon's whole status report; @param stopped whether the daemon is stopping (the last report goes out at once) */
    StatusPart(VgateConfig config, Clock clock, MqttLink mqtt, ScheduledExecutorService timers, Supplier<Map<String, Object>> report,
               BooleanSupplier stopped) {
        this.config = config;
        this.clock = clock;
        this.mqtt = mqtt;
        this.timers = timers;
        this.report = report;
        this.stopped = stopped;
    }

    @Override public String name() { return "status"; }

    @Override public void start() {
        long tick = Math.min(FILE_REFRESH_MS, config.status().publishPeriod().toMillis());
        timers.scheduleAtFixedRate(this::report, Math.min(1000, tick), tick, TimeUnit.MILLISECONDS);
    }

    synchronized void report() {
        try {
            Map<String, Object> r = report.get();
            new StatusFile(config.status().file()).write(Json.write(r));
            long now = clock.millis();
            boolean due = now - lastPublishMs >= config.status().publishPeriod().toMillis() || stopped.getAsBoolean();
            if (due && mqtt.isConnected()) {
                lastPublishMs = now;
                mqtt.publish(config.mqtt().topicPrefix() + "/status", Json.writeCompact(r).getBytes(StandardCharsets.UTF_8),
                        new MqttLink.PublishOptions(1, true, 0, Map.of(), null, null, "application/json"));
            }
        } catch (IOException | RuntimeException e) {
            Logger.warn("status report failed: {}", e.getMessage());
        }
    }

    @Override public void stop() { report(); }
}
