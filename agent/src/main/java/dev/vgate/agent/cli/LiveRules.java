package dev.vgate.agent.cli;

import dev.vgate.canbus.CanChannel;
import dev.vgate.canbus.CanException;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.mqtt.MqttLink;
import dev.vgate.rules.ActionDispatcher;
import dev.vgate.rules.AlertSink;
import dev.vgate.rules.CollectionControl;
import dev.vgate.rules.FaultCodes;
import dev.vgate.rules.FrameEvaluator;
import dev.vgate.rules.RepeatScheduler;
import dev.vgate.rules.RuleAlert;
import dev.vgate.rules.RuleEngine;
import dev.vgate.rules.RuleSet;
import org.tinylog.Logger;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Edge rules on a live CAN channel, as {@code vgate rules run} uses them (the daemon wires the same
 * parts, plus the telemetry buffer): frames are decoded and evaluated on the channel's receive thread,
 * CAN actions go back to the same channel, alerts are printed and published with QoS 1 from a separate
 * publisher thread so the receive thread never waits for the network.
 */
final class LiveRules implements AutoCloseable {
    private final CanChannel channel;
    private final ScheduledExecutorService repeats;
    private final BlockingQueue<RuleAlert> alerts = new ArrayBlockingQueue<>(1024);
    private final Thread publisher;
    private final FaultCodes faults = new FaultCodes();
    private final FrameEvaluator evaluator;
    private volatile boolean running = true;

    LiveRules(CanChannel channel, DbcDatabase db, RuleSet rules, MqttLink mqtt, String alertTopic, Consumer<String> out) {
        this.channel = channel;
        this.repeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rules-can-repeats");
            t.setDaemon(true);
            return t;
        });
        AlertSink sink = alert -> {
            if (!alerts.offer(alert)) Logger.error("alert queue full; alert kept only in the log: {}", alert.toJson());
        };
        ActionDispatcher dispatcher = new ActionDispatcher(channel::send, RepeatScheduler.of(repeats), sink, faults, CollectionControl.NONE);
        this.evaluator = new FrameEvaluator(new RuleEngine(rules), db.newDecoder(), dispatcher);
        this.publisher = new Thread(() -> publishLoop(mqtt, alertTopic, out), "rules-alert-publisher");
        publisher.setDaemon(true);
        publisher.start();
    }

    void start() throws CanException {
        channel.start(evaluator::onFrame);
    }

    private void publishLoop(MqttLink mqtt, String topic, Consumer<String> out) {
        while (running || !alerts.isEmpty()) {
            RuleAlert a;
            try {
                a = alerts.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (a == null) continue;
            String json = a.toJson();
            out.accept(json);
            if (mqtt == null) continue;
            mqtt.publish(topic, json.getBytes(StandardCharsets.UTF_8), MqttLink.PublishOptions.qos1())
                    .whenComplete((r, e) -> {
                        if (e != null) Logger.error("alert of rule '{}' not published: {}", a.rule(), e.getMessage());
                        else if (!r.isSuccess()) Logger.error("alert of rule '{}' refused by the broker: reason code {}", a.rule(), r.reasonCode());
                    });
        }
    }

    FaultCodes faults() { return faults; }

    @Override public void close() {
        channel.close();
        running = false;
        try {
            publisher.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        repeats.shutdownNow();
    }
}
