package dev.vgate.agent.daemon;

import dev.vgate.command.exec.CommandFailedException;
import dev.vgate.command.exec.OtaStarter;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.agent.ota.OtaSetup;
import dev.vgate.mqtt.MqttLink;
import dev.vgate.ota.OtaException;
import dev.vgate.trust.TrustStore;
import dev.vgate.ota.OtaListener;
import dev.vgate.ota.OtaService;
import dev.vgate.ota.OtaSettings;
import dev.vgate.ota.health.ConditionHealthCheck;
import dev.vgate.ota.install.InstallRecord;
import dev.vgate.ota.install.UpdateOutcome;
import org.tinylog.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A/B updates inside the daemon: opens the {@link OtaService} that {@link OtaSetup} assembles from the
 * {@code ota} section (the same backend, booted slot and install state as the {@code vgate ota} commands), runs the boot-verify
 * on a thread of its own once the other parts are up (its health checks watch them), hands start-ota commands
 * to it, and publishes every install's ending on {@code PREFIX/ota} (retained until the broker acknowledges;
 * the store keeps it until then).
 */
final class OtaPart implements OptionalPart {
    private final VgateConfig config;
    private final Clock clock;
    private final MqttLink link;
    private boolean reportsOnReconnect; // the connection listener is added once, at the first start
    private final TrustStore trust;
    private final BooleanSupplier restHealthy;
    private final OtaListener listener;
    private volatile OtaService ota;
    private volatile String bootedSlot;
    private volatile String lastOutcome = "";
    private Thread verifier;

    /**
     * @param trust       the device's trust store, shared with commands: a rotation applies to the next manifest
     * @param restHealthy whether every other part of the daemon works: a new slot is committed only then
     * @param listener    also told of progress and outcomes (the demo prints them)
     */
    OtaPart(VgateConfig config, TrustStore trust, Clock clock, MqttLink link, BooleanSupplier restHealthy, OtaListener listener) {
        this.config = config;
        this.trust = trust;
        this.clock = clock;
        this.link = link;
        this.restHealthy = restHealthy;
        this.listener = listener;
    }

    @Override public String name() { return "ota"; }

    @Override public synchronized void start() throws OtaException {
        if (ota != null) return;
        OtaSettings settings;
        try (OtaSetup setup = OtaSetup.of(config, trust, clock)) {
            settings = setup.serviceSettings(List.of(
                    ConditionHealthCheck.of("vgate-parts", restHealthy, "not every part of vgate is up (see vgate status)")));
        }
        bootedSlot = settings.bootedSlot();
        ota = OtaService.open(settings, new OtaListener() {
            @Override public void progress(Progress p) { listener.progress(p); }

            @Override public void outcome(UpdateOutcome o) {
                lastOutcome = o.toVersion() + " " + o.result().name().toLowerCase();
                listener.outcome(o);
                report();
            }
        });
        if (!reportsOnReconnect) {
            // an outcome decided while the link was down (a rollback decided before MQTT came up) is published
            // when it comes back, not only at the next start; off Paho's callback thread
            link.addConnectionListener((connected, reason) -> {
                if (connected) {
                    Thread t = new Thread(this::report, "ota-report");
                    t.setDaemon(true);
                    t.start();
                }
            });
            reportsOnReconnect = true;
        }
        verifier = new Thread(this::bootVerify, "ota-boot-verify");
        verifier.setDaemon(true);
        verifier.start();
    }

    private void bootVerify() {
        try {
            Optional<UpdateOutcome> o = ota.bootVerify();
            Logger.info("OTA boot-verify on slot {}: {}", bootedSlot,
                    o.map(u -> u.result() + " (" + u.fromVersion() + " -> " + u.toVersion() + ")").orElse("nothing to decide"));
            report();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (OtaException e) {
            Logger.error("OTA boot-verify failed: {}", e.getMessage());
        }
    }

    /** Publishes unreported outcomes; each is marked reported only after the broker's PUBACK. */
    private void report() {
        OtaService s = ota;
        if (s == null || !link.isConnected()) return;
        try {
            for (UpdateOutcome o : s.pendingOutcomes()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("install", o.installId());
                m.put("from", o.fromVersion());
                m.put("to", o.toVersion());
                m.put("result", o.result().name().toLowerCase());
                m.put("reason", o.reason() == null ? "" : o.reason());
                link.publish(config.mqtt().topicPrefix() + "/ota", Json.writeCompact(m).getBytes(StandardCharsets.UTF_8),
                        new MqttLink.PublishOptions(1, false, 0, Map.of(), null, null, "application/json"))
                        .thenAccept(r -> {
                            try {
                                if (r.isSuccess()) s.markReported(o.id());
                            } catch (OtaException e) {
                                Logger.warn("OTA outcome {} reported but not marked: {}", o.id(), e.getMessage());
                            }
                        });
            }
        } catch (OtaException e) {
            Logger.warn("OTA outcomes not reported yet: {}", e.getMessage());
        }
    }

    /** The start-ota command's way in: refusals come back as the command's failure reason. */
    OtaStarter starter() {
        return manifest -> {
            OtaService s = ota;
            if (s == null) throw new CommandFailedException("NOT_READY", "the OTA client has not started");
            try {
                s.start(manifest);
            } catch (OtaException e) {
                throw new CommandFailedException(e.reason().name(), e.getMessage());
            }
        };
    }

    /** start-ota commands go to this part. */
    @Override public dev.vgate.command.CommandStack.Sinks wire(dev.vgate.command.CommandStack.Sinks sinks) { return sinks.withOta(starter()); }

    /** The running service (null until started). */
    OtaService service() { return ota; }

    @Override public synchronized void stop() {
        if (verifier != null) verifier.interrupt();
        if (ota != null) ota.close();
        ota = null;
    }

    @Override public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("booted_slot", bootedSlot == null ? "" : bootedSlot);
        OtaService s = ota;
        if (s != null) {
            m.put("busy", s.busy());
            try {
                Optional<InstallRecord> cur = s.current();
                cur.ifPresent(r -> m.put("install", r.fromVersion() + " -> " + r.toVersion() + " " + r.state().name().toLowerCase()));
            } catch (OtaException e) {
                m.put("install_error", e.getMessage());
            }
        }
        if (!lastOutcome.isEmpty()) m.put("last_outcome", lastOutcome);
        return m;
    }
}
