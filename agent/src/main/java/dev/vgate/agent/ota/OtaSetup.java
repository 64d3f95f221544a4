package dev.vgate.agent.ota;

import dev.vgate.agent.config.BootControl;
import dev.vgate.agent.config.OtaConfig;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.ota.DeviceIdentity;
import dev.vgate.ota.OtaException;
import dev.vgate.ota.OtaService;
import dev.vgate.ota.OtaSettings;
import dev.vgate.ota.boot.BootChooser;
import dev.vgate.ota.boot.BootedSlot;
import dev.vgate.ota.boot.FileBootChooser;
import dev.vgate.ota.boot.FwEnvConfig;
import dev.vgate.ota.boot.GrubBootChooser;
import dev.vgate.ota.boot.UbootBootChooser;
import dev.vgate.ota.boot.UbootEnvStore;
import dev.vgate.ota.download.DownloadPolicy;
import dev.vgate.ota.health.BootConfirmer;
import dev.vgate.ota.health.CommandHealthCheck;
import dev.vgate.ota.health.HealthCheck;
import dev.vgate.ota.install.ArtifactSource;
import dev.vgate.ota.install.DeviceInfo;
import dev.vgate.ota.install.InstallHooks;
import dev.vgate.ota.install.InstallStore;
import dev.vgate.ota.install.Installer;
import dev.vgate.ota.install.Rebooter;
import dev.vgate.ota.install.Slot;
import dev.vgate.agent.trust.DeviceTrust;
import dev.vgate.ota.manifest.ManifestVerifier;
import dev.vgate.ota.manifest.TrustStoreManifestVerifier;
import dev.vgate.trust.TrustException;
import dev.vgate.trust.TrustStore;
import dev.vgate.ota.patch.BsdiffApplier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.vgate.ota.OtaException.Reason.BOOT_CONTROL;
import static dev.vgate.ota.OtaException.Reason.CONFIG;
import static dev.vgate.ota.OtaException.Reason.TRUST_STORE;

/**
 * The OTA subsystem assembled once from the validated configuration's {@code ota:} section, for the daemon
 * ({@link #serviceSettings}, which {@code daemon/OtaPart} opens as an {@link OtaService}) and for every
 * {@code vgate ota} device command ({@link #installer}, {@link #confirmer}, {@link #store}). Both get from here:
 * the two slots, the bootloader backend ({@link #bootChooser}: the one place {@code boot_control} becomes a
 * backend), the booted slot ({@code ota.booted_slot}, else {@link BootedSlot}), the install state database
 * ({@code state_dir/ota/}{@value OtaService#STATE_DB}), the manifest trust, the health checks, the reboot
 * command and the device identity. So a CLI command sees the install the daemon made, and the reverse.
 */
public final class OtaSetup implements AutoCloseable {
    private final OtaConfig ota;
    private final Path workDir;
    private final Slot slotA;
    private final Slot slotB;
    private final BootChooser boot;
    private final ManifestVerifier verifier;
    private final Clock clock;
    private InstallStore store; // opened by the first device command that needs it; the daemon's OtaService opens its own

    private OtaSetup(OtaConfig ota, Path workDir, Slot slotA, Slot slotB, BootChooser boot, ManifestVerifier verifier, Clock clock) {
        this.ota = ota;
        this.workDir = workDir;
        this.slotA = slotA;
        this.slotB = slotB;
        this.boot = boot;
        this.verifier = verifier;
        this.clock = clock;
    }

    /**
     * @throws OtaException when the configuration has no {@code ota} section, or a slot, the trust file or the
     *                      boot environment cannot be opened
     */
    public static OtaSetup of(VgateConfig c, Clock clock) throws OtaException {
        if (c.ota() == null) throw new OtaException(CONFIG, "the configuration" + (c.source() == null ? "" : " " + c.source()) + " has no ota section: updates are off");
        try {
            // the device's one trust store, with the rotations the daemon persisted (state_dir/keyset.pb)
            return of(c, DeviceTrust.open(c, clock), clock);
        } catch (TrustException e) {
            throw new OtaException(TRUST_STORE, e.getMessage(), e);
        }
    }

    /** As {@link #of(VgateConfig, Clock)} on a trust store already open (the daemon's, shared with commands). */
    public static OtaSetup of(VgateConfig c, TrustStore trust, Clock clock) throws OtaException {
        OtaConfig o = c.ota();
        if (o == null) throw new OtaException(CONFIG, "the configuration" + (c.source() == null ? "" : " " + c.source()) + " has no ota section: updates are off");
        if (trust == null) throw new OtaException(TRUST_STORE, "no trust file: set commands.trust (or ota.trust)");
        Slot a = slot("A", o.slotA()), b = slot("B", o.slotB());
        ManifestVerifier verifier = new TrustStoreManifestVerifier(trust, DeviceTrust.clockSkew(c));
        return new OtaSetup(o, c.otaWorkDir(), a, b, bootChooser(o.bootControl()), verifier, clock);
    }

    /** The backend {@code ota.boot_control} names, with every setting it gives (scheme, variable, values, attempts). */
    public static BootChooser bootChooser(BootControl b) throws OtaException {
        if (b instanceof BootControl.UBoot u) {
            UbootBootChooser.Scheme scheme = u.scheme() == BootControl.UbootScheme.RAUC
                    ? UbootBootChooser.Scheme.rauc(u.attempts())
                    // altbootcmd comes from the board's boot script: vgate refuses to switch without one
                    : UbootBootChooser.Scheme.mender(u.slotVariable(), u.slotAValue(), u.slotBValue(), u.attempts(), null);
            return new UbootBootChooser(new UbootEnvStore(FwEnvConfig.load(u.fwEnvConfig())), scheme);
        }
        if (b instanceof BootControl.Grub g) return new GrubBootChooser(g.grubenv());
        if (b instanceof BootControl.File f) return new FileBootChooser(f.stateFile());
        throw new OtaException(BOOT_CONTROL, "no boot control backend configured");
    }

    private static Slot slot(String name, Path device) throws OtaException {
        try {
            return Slot.detect(name, device);
        } catch (IOException e) {
            throw new OtaException(CONFIG, "ota.slot_" + name.toLowerCase() + ": " + e.getMessage(), e);
        }
    }

    public Map<String, Slot> slots() { return Map.of("A", slotA, "B", slotB); }

    public BootChooser boot() { return boot; }

    public Path workDir() { return workDir; }

    /** The slot running now: {@code ota.booted_slot} when set (test rigs, benches), else detected ({@link BootedSlot}). */
    public String bootedSlot() throws OtaException {
        return ota.bootedSlot() != null ? ota.bootedSlot() : BootedSlot.detect(slotA, slotB);
    }

    /** The install state database the daemon and the device commands share. */
    public synchronized InstallStore store() throws OtaException {
        if (store == null) {
            createWorkDir();
            store = new InstallStore(workDir.resolve(OtaService.STATE_DB), clock);
        }
        return store;
    }

    private void createWorkDir() throws OtaException {
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new OtaException(CONFIG, "cannot create the OTA state folder " + workDir + ": " + e.getMessage(), e);
        }
    }

    /** The configured reboot command; none configured: the reboot is left to the caller. */
    public Rebooter rebooter() {
        return ota.rebootCommand().isEmpty() ? Rebooter.NONE : Rebooter.command(ota.rebootCommand());
    }

    /** One check per {@code health_commands} entry, named after its program (as boot-verify reports it). */
    public List<HealthCheck> healthChecks() {
        List<HealthCheck> checks = new ArrayList<>();
        for (List<String> argv : ota.healthCommands()) {
            Path program = Path.of(argv.get(0)).getFileName();
            checks.add(new CommandHealthCheck(program == null ? argv.get(0) : program.toString(), argv));
        }
        return checks;
    }

    /** {@code ota.hardware_id}, else the first line of {@link OtaConfig#DEFAULT_HARDWARE_ID_FILE}. */
    public String hardwareId() throws OtaException {
        return ota.hardwareId() != null ? ota.hardwareId() : DeviceIdentity.hardwareId(OtaConfig.DEFAULT_HARDWARE_ID_FILE);
    }

    /** {@code ota.image_version}, else VERSION_ID of {@link OtaConfig#DEFAULT_OS_RELEASE}. */
    public String imageVersion() throws OtaException {
        return ota.imageVersion() != null ? ota.imageVersion() : DeviceIdentity.imageVersion(OtaConfig.DEFAULT_OS_RELEASE);
    }

    /**
     * The daemon's {@link OtaService}: the configured checks after {@code firstChecks} (the daemon's own: every
     * part of it up), downloads over HTTP(S).
     */
    public OtaSettings serviceSettings(List<HealthCheck> firstChecks) throws OtaException {
        List<HealthCheck> checks = new ArrayList<>(firstChecks);
        checks.addAll(healthChecks());
        return new OtaSettings(workDir, slotA, slotB, bootedSlot(), boot, verifier, hardwareId(), imageVersion(), rebooter(), checks,
                ota.healthDeadline(), DownloadPolicy.DEFAULT, clock);
    }

    /** For the device commands: installs from local files through the configured backend. */
    public Installer installer(DeviceInfo device, ArtifactSource artifacts, Rebooter rebooter, InstallHooks hooks) throws OtaException {
        return new Installer(store(), verifier, boot, slots(), device, artifacts, rebooter, hooks, new BsdiffApplier());
    }

    /** Boot-verify with the configured health commands and deadline. */
    public BootConfirmer confirmer(Rebooter rebooter) throws OtaException {
        return new BootConfirmer(store(), boot, healthChecks(), ota.healthDeadline(), rebooter, clock);
    }

    @Override public synchronized void close() {
        if (store != null) store.close();
        store = null;
    }
}
