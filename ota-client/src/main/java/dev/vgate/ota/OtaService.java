package dev.vgate.ota;

import dev.vgate.ota.download.HttpDownloader;
import dev.vgate.ota.health.BootConfirmer;
import dev.vgate.ota.install.ArtifactSource;
import dev.vgate.ota.install.DeviceInfo;
import dev.vgate.ota.install.InstallHooks;
import dev.vgate.ota.install.InstallRecord;
import dev.vgate.ota.install.InstallState;
import dev.vgate.ota.install.InstallStore;
import dev.vgate.ota.install.Installer;
import dev.vgate.ota.install.UpdateOutcome;
import dev.vgate.ota.manifest.VerifiedManifest;
import dev.vgate.ota.patch.BsdiffApplier;
import org.tinylog.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.vgate.ota.OtaException.Reason.BUSY;
import static dev.vgate.ota.OtaException.Reason.CONFIG;

/**
 * The OTA client's one entry point for the daemon ({@code vgate run}). The daemon wires it like this:
 * <pre>{@code
 * Slot a = Slot.detect("A", cfg.slotA()), b = Slot.detect("B", cfg.slotB());
 * OtaSettings settings = new OtaSettings(stateDir, a, b, BootedSlot.detect(a, b),   // agent: OtaSetup builds these
 *         bootChooser,                                   // UbootBootChooser / GrubBootChooser / FileBootChooser
 *         new TrustStoreManifestVerifier(trustStore, clockSkew),
 *         DeviceIdentity.hardwareId(DeviceIdentity.HARDWARE_ID_FILE),
 *         DeviceIdentity.imageVersion(DeviceIdentity.OS_RELEASE),
 *         Rebooter.command(cfg.rebootCommand()),
 *         checks,                                        // ConditionHealthCheck for CAN/MQTT/DBC, CommandHealthCheck per health_commands entry
 *         cfg.healthDeadline(), DownloadPolicy.DEFAULT, Clock.systemUTC());
 * OtaService ota = OtaService.open(settings, listener);        // at start-up, after config is loaded
 * // once CAN, MQTT and the rest are started (the health checks observe them), on a thread of its own:
 * ota.bootVerify();          // commits or rolls back a new slot, reports a rollback, resumes a cut install
 * // the start-ota command (agent/command/exec/OtaStarter):
 * OtaStarter starter = manifest -> {
 *     try { ota.start(manifest); }
 *     catch (OtaException e) { throw new CommandFailedException(e.reason().name(), e.getMessage()); }
 * };
 * // report ota.pendingOutcomes() to the cloud, then ota.markReported(id); ota.close() at shutdown
 * }</pre>
 * {@link #start} answers at once: a refused update (signature, role, downgrade, hardware, slot size, an
 * install already running) throws; an accepted one downloads, writes, verifies and switches on the OTA
 * worker thread and reboots through the configured command. Progress and endings go to the
 * {@link OtaListener}; endings are also persisted until reported.
 */
public final class OtaService implements AutoCloseable {
    /** The install state database in the state directory: the daemon and every {@code vgate ota} device command use this one. */
    public static final String STATE_DB = "ota.db";

    private final OtaSettings settings;
    private final OtaListener listener;
    private final InstallStore store;
    private final Installer installer;
    private final BootConfirmer confirmer;
    private final ExecutorService worker;
    private Future<?> running;

    private OtaService(OtaSettings settings, OtaListener listener, InstallStore store) throws OtaException {
        this.settings = settings;
        this.listener = listener;
        this.store = store;
        String version = store.slotVersion(settings.bootedSlot()).orElse(settings.imageVersion());
        DeviceInfo device = new DeviceInfo(settings.hardwareId(), settings.bootedSlot(), version);
        Path downloads = settings.stateDir().resolve("downloads");
        this.installer = new Installer(store, settings.verifier(), settings.boot(), Map.of("A", settings.slotA(), "B", settings.slotB()),
                device, ArtifactSource.http(new HttpDownloader(settings.download()), downloads), settings.rebooter(),
                new ProgressHooks(store, listener), new BsdiffApplier());
        this.confirmer = new BootConfirmer(store, settings.boot(), settings.healthChecks(), settings.healthDeadline(),
                settings.rebooter(), settings.clock());
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vgate-ota");
            t.setDaemon(true);
            return t;
        });
        Logger.info("OTA: running slot {} version {} (hardware {}), boot control {}, state in {}",
                settings.bootedSlot(), version, settings.hardwareId(), settings.boot().name(), settings.stateDir());
    }

    /** Validates the settings, opens the state store; nothing is installed or switched yet. */
    public static OtaService open(OtaSettings settings, OtaListener listener) throws OtaException {
        settings.validate();
        try {
            Files.createDirectories(settings.stateDir().resolve("downloads"));
        } catch (IOException e) {
            throw new OtaException(CONFIG, "OTA state directory " + settings.stateDir() + ": " + e.getMessage(), e);
        }
        InstallStore store = new InstallStore(settings.stateDir().resolve(STATE_DB), settings.clock());
        try {
            return new OtaService(settings, listener, store);
        } catch (OtaException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Start-up after a (re)boot. Blocks up to the health deadline when a new slot must prove itself:
     * <ul>
     *   <li>running the new slot on trial: runs the health checks, commits it, or marks it bad and reboots;</li>
     *   <li>back on the old slot after an update: records the rollback (ours or the bootloader's);</li>
     *   <li>an install cut short (power loss, crash) before its switch: resumes it on the worker thread.</li>
     * </ul>
     * @return the outcome this boot decided, if any (also passed to the listener)
     */
    public Optional<UpdateOutcome> bootVerify() throws OtaException, InterruptedException {
        Optional<InstallRecord> cur = store.current();
        if (cur.isEmpty()) return Optional.empty();
        InstallRecord r = cur.get();
        boolean awaitsBoot = r.state() == InstallState.REBOOT_REQUESTED || r.state() == InstallState.ROLLBACK_REQUESTED;
        // the power went after the switch reached the bootloader but before REBOOT_REQUESTED was stored: this is
        // the verified slot's trial boot, which the confirmer treats as one (never re-install or reboot here)
        boolean switchedAndBooted = settings.bootedSlot().equals(r.targetSlot())
                && (r.state() == InstallState.VERIFIED || r.state() == InstallState.ACTIVE_MARKED);
        if (!awaitsBoot && !switchedAndBooted) {
            Logger.info("OTA: install {} ({} -> {}) was cut short at {}; resuming", r.id(), r.fromVersion(), r.toVersion(), r.state());
            submit(installer::resume);
            return Optional.empty();
        }
        Optional<UpdateOutcome> o = confirmer.onStart(settings.bootedSlot());
        o.ifPresent(listener::outcome);
        return o;
    }

    /**
     * The start-ota command: checks the signed manifest now (signature, role, version, hardware, slot size)
     * and, if it is acceptable, installs it on the worker thread.
     * @throws OtaException the update's rejection reason, or {@link OtaException.Reason#BUSY} while another install is unfinished
     */
    public synchronized void start(byte[] manifest) throws OtaException {
        if (running != null && !running.isDone()) throw new OtaException(BUSY, "an install is already running");
        Optional<InstallRecord> cur = store.current();
        if (cur.isPresent())
            throw new OtaException(BUSY, "install " + cur.get().id() + " (" + cur.get().fromVersion() + " -> " + cur.get().toVersion()
                    + ") is unfinished at " + cur.get().state());
        VerifiedManifest vm = installer.accept(manifest);
        Logger.info("OTA: accepted update to {} signed by {}", vm.manifest().getTargetVersion(), vm.keyId());
        running = worker.submit(() -> {
            try {
                installer.install(manifest);
            } catch (OtaException e) {
                reportFailure(e);
            }
        });
    }

    private synchronized void submit(Step step) {
        running = worker.submit(() -> {
            try {
                step.run();
            } catch (OtaException e) {
                reportFailure(e);
            }
        });
    }

    private interface Step { Object run() throws OtaException; }

    private void reportFailure(OtaException e) {
        Logger.error("OTA: install failed: {}", e.getMessage());
        try {
            Optional<InstallRecord> last = store.latest().filter(r -> r.state().terminal());
            if (last.isPresent()) outcomeOf(last.get().id()).ifPresent(listener::outcome);
        } catch (OtaException e2) {
            Logger.error("OTA: cannot read the failed install's outcome: {}", e2.getMessage());
        }
    }

    private Optional<UpdateOutcome> outcomeOf(long installId) throws OtaException {
        return store.pendingOutcomes().stream().filter(o -> o.installId() == installId).reduce((a, b) -> b);
    }

    /** The unfinished install, if any (for status). */
    public Optional<InstallRecord> current() throws OtaException { return store.current(); }

    /** True while the worker downloads, writes or switches. */
    public synchronized boolean busy() { return running != null && !running.isDone(); }

    /** Waits for the worker's current job; for tests and an orderly shutdown. */
    public boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
        Future<?> f;
        synchronized (this) {
            f = running;
        }
        if (f == null) return true;
        try {
            f.get(timeout, unit);
            return true;
        } catch (java.util.concurrent.ExecutionException e) {
            return true; // the job logged and recorded its own failure
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    /** Endings not yet reported to the cloud, oldest first. */
    public List<UpdateOutcome> pendingOutcomes() throws OtaException { return store.pendingOutcomes(); }

    public void markReported(long outcomeId) throws OtaException { store.markReported(outcomeId); }

    /**
     * Stops taking work. A running install is left alone (its thread is a daemon thread): every step is
     * persisted, so the next start resumes it instead of failing it half-way.
     */
    @Override public void close() {
        worker.shutdown();
        boolean idle;
        try {
            idle = worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            idle = false;
        }
        if (idle) store.close();
        else Logger.warn("OTA: an install is still running at shutdown; it resumes at the next start");
    }

    /** Turns the installer's observation points into listener progress, logged every 10 %. */
    private static final class ProgressHooks implements InstallHooks {
        private final InstallStore store;
        private final OtaListener listener;
        private int lastTenth = -1;
        private String lastPhase = "";

        ProgressHooks(InstallStore store, OtaListener listener) {
            this.store = store;
            this.listener = listener;
        }

        @Override public void transitioned(InstallState state) { emit(state.name(), 0, 0, state); }

        @Override public void downloaded(long done, long total) { emit("download", done, total, InstallState.WRITING); }

        @Override public void written(long done, long total) { emit("write", done, total, InstallState.WRITING); }

        private void emit(String phase, long done, long total, InstallState state) {
            if (!phase.equals(lastPhase)) {
                lastPhase = phase;
                lastTenth = -1;
            }
            int tenth = total <= 0 ? -1 : (int) (done * 10 / total);
            if (total > 0 && tenth == lastTenth) return; // at most 11 reports per phase
            lastTenth = tenth;
            try {
                InstallRecord r = store.current().orElse(null);
                OtaListener.Progress p = new OtaListener.Progress(r == null ? 0 : r.id(), r == null ? "" : r.fromVersion(),
                        r == null ? "" : r.toVersion(), state, phase, done, total);
                if (total > 0) Logger.info("OTA: {} {} / {} bytes ({} %)", phase, done, total, p.percent());
                listener.progress(p);
            } catch (OtaException | RuntimeException e) {
                Logger.warn("OTA: progress report failed: {}", e.getMessage());
            }
        }
    }
}
