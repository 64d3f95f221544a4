package dev.vgate.agent.ota;

import dev.vgate.agent.config.BootControl;
import dev.vgate.agent.config.OtaConfig;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.ota.OtaException;
import dev.vgate.ota.boot.BootChooser;
import dev.vgate.ota.boot.FileBootChooser;
import dev.vgate.ota.boot.FwEnvConfig;
import dev.vgate.ota.boot.GrubBootChooser;
import dev.vgate.ota.boot.UbootBootChooser;
import dev.vgate.ota.boot.UbootEnvStore;
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
import dev.vgate.ota.patch.BsdiffApplier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.vgate.ota.OtaException.Reason.BOOT_CONTROL;
import static dev.vgate.ota.OtaException.Reason.IO;
import static dev.vgate.ota.OtaException.Reason.TRUST_STORE;

/**
 * The OTA client's parts wired from the device's configuration ({@code ota:} section): the two slots, the
 * bootloader backend, the persisted install state in {@code state_dir/ota/install.db}, the manifest trust,
 * the health checks and the reboot command. The CLI ({@code vgate ota install|boot-verify|status|abort})
 * and the daemon build installers and boot confirmers from it, so both act on the same state.
 */
public final class OtaSetup implements AutoCloseable {
    public static final String STATE_DB = "install.db";

    private final OtaConfig ota;
    private final Path workDir;
    private final Map<String, Slot> slots;
    private final BootChooser boot;
    private final InstallStore store;
    private final ManifestVerifier verifier;

    private OtaSetup(OtaConfig ota, Path workDir, Map<String, Slot> slots, BootChooser boot, InstallStore store, ManifestVerifier verifier) {
        this.ota = ota;
        this.workDir = workDir;
        this.slots = slots;
        this.boot = boot;
        this.store = store;
        this.verifier = verifier;
    }

    /** @throws OtaException when the configuration has no {@code ota} section, or a slot, the trust file, the boot environment or the state store cannot be opened */
    public static OtaSetup open(VgateConfig c, Clock clock) throws OtaException {
        OtaConfig o = c.ota();
        if (o == null) throw new OtaException(IO, "the configuration" + (c.source() == null ? "" : " " + c.source()) + " has no ota section: updates are off");
        Map<String, Slot> slots;
        try {
            slots = Map.of("A", Slot.detect("A", o.slotA()), "B", Slot.detect("B", o.slotB()));
        } catch (IOException e) {
            throw new OtaException(IO, "ota slots: " + e.getMessage(), e);
        }
        ManifestVerifier verifier;
        try {
            // the device's one trust store, with the rotations the daemon persisted
            verifier = new TrustStoreManifestVerifier(DeviceTrust.open(c, clock), DeviceTrust.clockSkew(c));
        } catch (TrustException e) {
            throw new OtaException(TRUST_STORE, e.getMessage(), e);
        }
        BootChooser boot = bootChooser(o.bootControl());
        Path work = c.otaWorkDir();
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new OtaException(IO, "cannot create the OTA state folder " + work + ": " + e.getMessage(), e);
        }
        return new OtaSetup(o, work, slots, boot, new InstallStore(work.resolve(STATE_DB), clock), verifier);
    }

    /** The backend the configuration names. */
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

    public Map<String, Slot> slots() { return slots; }

    public BootChooser boot() { return boot; }

    public InstallStore store() { return store; }

    public Path workDir() { return workDir; }

    /** The slot running now, from the kernel command line. */
    public String bootedSlot() throws OtaException {
        return BootedSlot.detect(BootedSlot.PROC_CMDLINE, slots);
    }

    /** The configured reboot command. */
    public Rebooter rebooter() {
        return Rebooter.command(ota.rebootCommand());
    }

    public Installer installer(DeviceInfo device, ArtifactSource artifacts, Rebooter rebooter, InstallHooks hooks) {
        return new Installer(store, verifier, boot, slots, device, artifacts, rebooter, hooks, new BsdiffApplier());
    }

    /** Boot-verify with the configured health commands and deadline. */
    public BootConfirmer confirmer(Rebooter rebooter, Clock clock) {
        return new BootConfirmer(store, boot, healthChecks(ota), ota.healthDeadline(), rebooter, clock);
    }

    static List<HealthCheck> healthChecks(OtaConfig o) {
        List<HealthCheck> checks = new ArrayList<>();
        for (List<String> argv : o.healthCommands()) {
            Path program = Path.of(argv.get(0)).getFileName();
            checks.add(new CommandHealthCheck(program == null ? argv.get(0) : program.toString(), argv));
        }
        return checks;
    }

    @Override public void close() {
        store.close();
    }
}
