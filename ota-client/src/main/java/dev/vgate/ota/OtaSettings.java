package dev.vgate.ota;

import dev.vgate.ota.boot.BootChooser;
import dev.vgate.ota.download.DownloadPolicy;
import dev.vgate.ota.health.HealthCheck;
import dev.vgate.ota.install.Rebooter;
import dev.vgate.ota.install.Slot;
import dev.vgate.ota.manifest.ManifestVerifier;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Everything {@link OtaService} needs, chosen once by the daemon from its configuration.
 *
 * @param stateDir       holds {@code ota.db} (the install state machine) and {@code downloads/}; must survive reboots
 * @param slotA          slot A (device or file, with capacity: {@link Slot#detect})
 * @param slotB          slot B
 * @param bootedSlot     "A" or "B": the slot running now ({@link dev.vgate.ota.boot.BootedSlot#detect})
 * @param boot           the bootloader backend
 * @param verifier       checks manifest signatures (ota role)
 * @param hardwareId     this device's hardware id; a manifest must list it
 * @param imageVersion   version of the running image when no earlier install recorded one (e.g. os-release VERSION_ID)
 * @param rebooter       reboots into the bootloader's choice
 * @param healthChecks   run after booting a new slot; all must pass within {@code healthDeadline} to commit it
 * @param healthDeadline the new slot's time to prove itself
 * @param download       retries, timeouts, bandwidth cap
 * @param clock          time source for the state store and the deadline
 */
public record OtaSettings(Path stateDir, Slot slotA, Slot slotB, String bootedSlot, BootChooser boot, ManifestVerifier verifier,
                          String hardwareId, String imageVersion, Rebooter rebooter, List<HealthCheck> healthChecks,
                          Duration healthDeadline, DownloadPolicy download, Clock clock) {
    public OtaSettings {
        healthChecks = List.copyOf(healthChecks);
    }

    private static boolean sameDevice(dev.vgate.ota.install.Slot a, dev.vgate.ota.install.Slot b) {
        try {
            return dev.vgate.ota.install.FileIdentity.same(a.device(), b.device());
        } catch (java.io.IOException e) {
            return a.device().equals(b.device());
        }
    }

    /** Every impossible setting, named; called by {@link OtaService#open}. */
    void validate() throws OtaException {
        StringBuilder bad = new StringBuilder();
        if (stateDir == null) bad.append("; stateDir is missing");
        if (slotA == null || !"A".equals(slotA.name())) bad.append("; slotA must be a slot named A");
        if (slotB == null || !"B".equals(slotB.name())) bad.append("; slotB must be a slot named B");
        if (slotA != null && slotB != null && sameDevice(slotA, slotB)) bad.append("; slotA and slotB are the same device ").append(slotA.device());
        if (!"A".equals(bootedSlot) && !"B".equals(bootedSlot)) bad.append("; bootedSlot must be A or B, not ").append(bootedSlot);
        if (boot == null) bad.append("; boot (the bootloader backend) is missing");
        if (verifier == null) bad.append("; verifier is missing");
        if (hardwareId == null || hardwareId.isBlank()) bad.append("; hardwareId is missing");
        if (imageVersion == null) bad.append("; imageVersion is missing");
        else {
            try {
                dev.vgate.ota.manifest.Version.parse(imageVersion);
            } catch (IllegalArgumentException e) {
                bad.append("; imageVersion: ").append(e.getMessage());
            }
        }
        if (rebooter == null) bad.append("; rebooter is missing");
        if (healthDeadline == null || healthDeadline.isNegative() || healthDeadline.isZero()) bad.append("; healthDeadline must be positive");
        if (download == null) bad.append("; download policy is missing");
        if (clock == null) bad.append("; clock is missing");
        if (bad.length() > 0) throw new OtaException(OtaException.Reason.CONFIG, "OTA settings: " + bad.substring(2));
    }
}
