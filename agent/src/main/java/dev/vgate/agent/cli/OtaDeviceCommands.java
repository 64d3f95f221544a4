package dev.vgate.agent.cli;

import dev.vgate.agent.config.ConfigException;
import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.agent.ota.OtaSetup;
import dev.vgate.ota.OtaException;
import dev.vgate.ota.Sha256;
import dev.vgate.ota.boot.BootChooser;
import dev.vgate.ota.install.ArtifactSource;
import dev.vgate.ota.install.DeviceInfo;
import dev.vgate.ota.install.InstallHooks;
import dev.vgate.ota.install.InstallRecord;
import dev.vgate.ota.install.InstallState;
import dev.vgate.ota.install.Installer;
import dev.vgate.ota.install.Rebooter;
import dev.vgate.ota.install.UpdateOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The device side of {@code vgate ota}: install an update into the inactive slot and switch to it through
 * the configured bootloader backend, verify the new slot after the reboot (commit or roll back), show and
 * abort. All of them act on the configuration's {@code ota:} section and its persisted install state, as the
 * daemon does.
 */
final class OtaDeviceCommands {
    private OtaDeviceCommands() {}

    /** Options every device command shares. */
    static final class DeviceOptions {
        @Option(names = "--config", paramLabel = "FILE", description = "vgate configuration with an ota section (default: ${DEFAULT-VALUE})")
        Path config = VgateConfig.DEFAULT_FILE;
        @Option(names = "--booted-slot", paramLabel = "A|B", description = "the slot running now (default: ota.booted_slot, else vgate.slot=, rauc.slot= or root= in /proc/cmdline, else the device mounted at /)")
        String bootedSlot;

        OtaSetup open() throws OtaException, ConfigException {
            if (bootedSlot != null && !bootedSlot.equals("A") && !bootedSlot.equals("B"))
                throw new OtaException(OtaException.Reason.IO, "--booted-slot must be A or B, not " + bootedSlot);
            return OtaSetup.of(ConfigLoader.load(config), Clock.systemUTC());
        }

        String booted(OtaSetup s) throws OtaException {
            return bootedSlot != null ? bootedSlot : s.bootedSlot();
        }
    }

    /** Runs a device command: one line on stderr and exit 2 for a refused update or bad config, 1 for a fault. */
    interface DeviceCall {
        int run(OtaSetup s) throws OtaException, IOException, InterruptedException;
    }

    static int call(String cmd, DeviceOptions o, DeviceCall body) throws IOException {
        try (OtaSetup s = o.open()) {
            return body.run(s);
        } catch (ConfigException e) {
            System.err.println("vgate ota " + cmd + ": " + e.getMessage());
            return VgateCommand.EXIT_REJECTED;
        } catch (OtaException e) {
            return OtaCommand.failed(cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("vgate ota " + cmd + ": interrupted");
            return 1;
        }
    }

    static void say(String line) {
        PrintStream out = System.out;
        out.println(line);
        out.flush();
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Install a signed update (bsdiff patch, or full image) into the slot that is not running, verify it, make it the"
                    + " bootloader's trial slot and reboot into it (the configured reboot_command). Continues an install a power cut"
                    + " interrupted when given the same manifest. Prints each persisted step.")
    static final class Install implements Callable<Integer> {
        @picocli.CommandLine.Mixin DeviceOptions device = new DeviceOptions();
        @Option(names = "--manifest", required = true, description = "signed manifest (manifest.bin of make-patch)") Path manifest;
        @Option(names = "--patch", description = "the patch the manifest names") Path patch;
        @Option(names = "--full-image", description = "the full target image, used if the running slot does not hold the patch's base") Path fullImage;
        @Option(names = "--current-version", description = "version running now (default: the version vgate recorded for this slot when it installed it, else ota.image_version or VERSION_ID of /etc/os-release, as the daemon)") String currentVersion;
        @Option(names = "--hardware", description = "this device's hardware id (default: /etc/vgate/hardware-id; unchecked if neither)") String hardware;
        @Option(names = "--no-reboot", description = "switch, but leave the reboot to the caller") boolean noReboot;

        @Override public Integer call() throws IOException {
            if (patch == null && fullImage == null) {
                System.err.println("vgate ota install: give --patch, --full-image or both");
                return 1;
            }
            byte[] envelope = dev.vgate.ota.manifest.ManifestCodec.readEnvelope(manifest);
            return OtaDeviceCommands.call("install", device, s -> {
                String booted = device.booted(s);
                String version = currentVersion != null ? currentVersion : runningVersion(s, booted);
                if (hardware == null) {
                    try {
                        hardware = s.hardwareId();
                    } catch (OtaException unknown) {
                        // neither ota.hardware_id nor /etc/vgate/hardware-id: the manifest's hardware list is not checked
                    }
                }
                Map<String, Path> files = new HashMap<>();
                if (patch != null) files.put("patch", patch);
                if (fullImage != null) files.put("full-image", fullImage);
                Rebooter rebooter = noReboot ? Rebooter.NONE : s.rebooter();
                String target = BootChooser.other(booted);
                Installer inst = s.installer(new DeviceInfo(hardware, booted, version), ArtifactSource.local(files), rebooter,
                        progress(target, noReboot));
                Optional<InstallRecord> cur = s.store().current();
                Installer.Result r;
                if (cur.isPresent()) {
                    InstallRecord c = cur.get();
                    if (!Arrays.equals(c.envelope(), envelope)) {
                        System.err.println("vgate ota install: install " + c.id() + " (" + c.fromVersion() + " -> " + c.toVersion() + ") is unfinished at "
                                + c.state() + "; finish it with its own manifest or drop it with 'vgate ota abort'");
                        return 1;
                    }
                    if (c.state() == InstallState.REBOOT_REQUESTED || c.state() == InstallState.ROLLBACK_REQUESTED) {
                        say("install: install " + c.id() + " is already at " + c.state() + "; 'vgate ota boot-verify' finishes it after the reboot");
                        return 0;
                    }
                    say("install: continuing install " + c.id() + " (" + c.fromVersion() + " -> " + c.toVersion() + ") at " + c.state());
                    r = inst.resume().orElseThrow();
                } else {
                    r = inst.install(envelope);
                }
                say("install: slot " + r.record().targetSlot() + " holds " + r.record().toVersion() + " (sha256 " + Sha256.hex(r.targetSha256()) + ")"
                        + (noReboot ? "; reboot to try it" : ""));
                return 0;
            });
        }

        /** As the daemon: the version vgate installed into the slot, else the image's own (ota.image_version, os-release). */
        private static String runningVersion(OtaSetup s, String booted) throws OtaException {
            Optional<String> recorded = s.store().slotVersion(booted);
            if (recorded.isPresent()) return recorded.get();
            try {
                return s.imageVersion();
            } catch (OtaException e) {
                throw new OtaException(OtaException.Reason.IO, "the version running in slot " + booted + " is unknown: pass --current-version ("
                        + e.getMessage() + ")", e);
            }
        }

        /** One line per persisted step and per tenth written, so an operator (or a test cutting the power) can follow. */
        private static InstallHooks progress(String target, boolean noReboot) {
            return new InstallHooks() {
                long lastTenth = -1;

                @Override public void transitioned(InstallState state) {
                    say("install: " + state + (state == InstallState.REBOOT_REQUESTED && !noReboot ? " (rebooting into slot " + target + ")" : ""));
                }

                @Override public void written(long done, long total) {
                    long tenth = total <= 0 ? 10 : done * 10 / total;
                    if (tenth != lastTenth) {
                        lastTenth = tenth;
                        say("install: written " + (tenth * 10) + "% of slot " + target);
                    }
                }
            };
        }
    }

    @Command(name = "boot-verify", mixinStandardHelpOptions = true,
            description = "Run once per boot (before the daemon). On a slot booted for trial after an update: run the health commands"
                    + " within health_deadline, commit the slot when all pass, otherwise mark it bad and reboot to the old slot. On the old"
                    + " slot after a fallback: record the rollback. Exit 0: committed or nothing to do; 2: the update was rolled back.")
    static final class BootVerify implements Callable<Integer> {
        @picocli.CommandLine.Mixin DeviceOptions device = new DeviceOptions();
        @Option(names = "--no-reboot", description = "do not run the reboot command (tests)") boolean noReboot;

        @Override public Integer call() throws IOException {
            return OtaDeviceCommands.call("boot-verify", device, s -> {
                String booted = device.booted(s);
                // the verdict goes out before the reboot: a reboot command may end this process before it returns
                Rebooter reboot = noReboot ? Rebooter.NONE : s.rebooter();
                boolean[] announced = {false};
                Rebooter announcing = () -> {
                    announced[0] = announceReboot(s, booted);
                    reboot.reboot();
                };
                Optional<UpdateOutcome> o = s.confirmer(announcing).onStart(booted);
                if (o.isPresent()) {
                    UpdateOutcome u = o.get();
                    if (u.result() == UpdateOutcome.Result.SUCCESS) {
                        say("boot-verify: committed " + u.fromVersion() + " -> " + u.toVersion() + " on slot " + booted + " (" + u.reason() + ")");
                        return 0;
                    }
                    say("boot-verify: rolled back " + u.fromVersion() + " -> " + u.toVersion() + ", running slot " + booted + ": " + u.reason());
                    return VgateCommand.EXIT_REJECTED;
                }
                Optional<InstallRecord> cur = s.store().current();
                if (cur.isEmpty()) {
                    say("boot-verify: nothing to verify on slot " + booted);
                    return 0;
                }
                InstallRecord r = cur.get();
                if (r.state() == InstallState.ROLLBACK_REQUESTED || r.state().switched()) {
                    if (!announced[0]) announceReboot(s, booted);
                    return r.state() == InstallState.ROLLBACK_REQUESTED ? VgateCommand.EXIT_REJECTED : 0;
                }
                say("boot-verify: install " + r.id() + " (" + r.fromVersion() + " -> " + r.toVersion() + ") is unfinished at " + r.state()
                        + "; slot " + r.targetSlot() + " is not switched to. 'vgate ota install' with its manifest continues it, 'vgate ota abort' drops it");
                return 0;
            });
        }

        /** Says why this boot ends in a reboot; false when the record does not call for one. */
        private static boolean announceReboot(OtaSetup s, String booted) throws OtaException {
            Optional<InstallRecord> cur = s.store().current();
            if (cur.isEmpty()) return false;
            InstallRecord r = cur.get();
            if (r.state() == InstallState.ROLLBACK_REQUESTED) {
                say("boot-verify: slot " + booted + " failed: " + r.error() + "; rebooting into slot " + r.sourceSlot());
                return true;
            }
            if (r.state().switched()) {
                say("boot-verify: slot " + r.targetSlot() + " is switched to but slot " + booted + " is running; rebooting into it");
                return true;
            }
            return false;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the slots, the bootloader's choice, the unfinished install and the outcomes not reported yet.")
    static final class Status implements Callable<Integer> {
        @picocli.CommandLine.Mixin DeviceOptions device = new DeviceOptions();

        @Override public Integer call() throws IOException {
            return OtaDeviceCommands.call("status", device, s -> {
                String booted;
                try {
                    booted = device.booted(s);
                } catch (OtaException e) {
                    booted = "unknown (" + e.getMessage() + ")";
                }
                say("booted slot   " + booted);
                say("primary slot  " + s.boot().getPrimary() + "  (" + s.boot().name() + ")");
                for (String slot : new String[] {"A", "B"}) {
                    say("slot " + slot + "        " + s.boot().getState(slot) + ", version " + s.store().slotVersion(slot).orElse("unknown")
                            + ", " + s.slots().get(slot).device());
                }
                Optional<InstallRecord> cur = s.store().current();
                say("install       " + cur.map(r -> "#" + r.id() + " " + r.fromVersion() + " -> " + r.toVersion() + " into slot " + r.targetSlot()
                        + ": " + r.state()).orElse("none unfinished"));
                for (UpdateOutcome u : s.store().pendingOutcomes()) {
                    say("outcome       #" + u.installId() + " " + u.fromVersion() + " -> " + u.toVersion() + " " + u.result() + ": " + u.reason()
                            + " (not reported yet)");
                }
                return 0;
            });
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true,
            description = "Drop the unfinished install: its slot stays marked bad, a switch already made is undone.")
    static final class Abort implements Callable<Integer> {
        @picocli.CommandLine.Mixin DeviceOptions device = new DeviceOptions();
        @Option(names = "--reason", defaultValue = "aborted by the operator", description = "recorded in the outcome (default: ${DEFAULT-VALUE})") String reason;

        @Override public Integer call() throws IOException {
            return OtaDeviceCommands.call("abort", device, s -> {
                Optional<InstallRecord> cur = s.store().current();
                if (cur.isEmpty()) {
                    say("abort: no unfinished install");
                    return 0;
                }
                String booted = device.booted(s);
                s.installer(new DeviceInfo(null, booted, cur.get().fromVersion()), ArtifactSource.local(Map.of()), Rebooter.NONE, InstallHooks.NONE)
                        .abort(reason);
                say("abort: install " + cur.get().id() + " (" + cur.get().fromVersion() + " -> " + cur.get().toVersion() + ") aborted; slot "
                        + s.boot().getPrimary() + " stays primary");
                return 0;
            });
        }
    }
}
