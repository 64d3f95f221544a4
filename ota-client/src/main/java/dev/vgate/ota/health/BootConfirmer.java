package dev.vgate.ota.health;

import dev.vgate.ota.OtaException;
import dev.vgate.ota.boot.BootChooser;
import dev.vgate.ota.boot.SlotState;
import dev.vgate.ota.install.InstallRecord;
import dev.vgate.ota.install.InstallState;
import dev.vgate.ota.install.InstallStore;
import dev.vgate.ota.install.Rebooter;
import dev.vgate.ota.install.UpdateOutcome;
import org.tinylog.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Boot-verify, run once at start after an update. On the new slot: run the health checks within the
 * deadline, commit the slot only if all pass, otherwise mark it bad and reboot so the bootloader takes the
 * old one. On the old slot: the update was rolled back (by us or by the bootloader's attempt counter);
 * record why. Every ending becomes an {@link UpdateOutcome} with the old and new versions.
 */
public final class BootConfirmer {
    private final InstallStore store;
    private final BootChooser boot;
    private final List<HealthCheck> checks;
    private final Duration deadline;
    private final Rebooter rebooter;
    private final Clock clock;

    public BootConfirmer(InstallStore store, BootChooser boot, List<HealthCheck> checks, Duration deadline, Rebooter rebooter, Clock clock) {
        this.store = store;
        this.boot = boot;
        this.checks = List.copyOf(checks);
        this.deadline = deadline;
        this.rebooter = rebooter;
        this.clock = clock;
    }

    /** @return the outcome decided by this boot, if any (empty when there was nothing to confirm or a reboot was requested) */
    public Optional<UpdateOutcome> onStart(String bootedSlot) throws OtaException, InterruptedException {
        Optional<InstallRecord> cur = store.current();
        if (cur.isEmpty()) return Optional.empty();
        InstallRecord r = cur.get();
        if (bootedSlot.equals(r.targetSlot()) && (r.state() == InstallState.VERIFIED || r.state() == InstallState.ACTIVE_MARKED)) {
            // The power went between the switch reaching the bootloader and REBOOT_REQUESTED being stored: the
            // bootloader is trying the verified new slot, so this is the trial boot; confirm it as one.
            Logger.warn("install {}: booted slot {} with the install at {} (power lost after the switch); verifying it as a trial boot",
                    r.id(), bootedSlot, r.state());
            r = store.transition(r, InstallState.REBOOT_REQUESTED, null);
        }
        if (!r.state().switched() && r.state() != InstallState.ROLLBACK_REQUESTED) return Optional.empty();
        if (bootedSlot.equals(r.targetSlot())) {
            if (r.state() == InstallState.ROLLBACK_REQUESTED) {
                // we asked for the rollback but came up here again: push harder
                boot.setState(r.targetSlot(), SlotState.BAD);
                rebooter.reboot();
                return Optional.empty();
            }
            return confirmNewSlot(r);
        }
        if (r.state().switched() && r.targetSlot().equals(boot.getPrimary())
                && boot.getState(r.targetSlot()) == SlotState.TRIAL) {
            Logger.warn("install {}: still on slot {} although {} is primary; the reboot did not happen, rebooting", r.id(), bootedSlot, r.targetSlot());
            rebooter.reboot();
            return Optional.empty();
        }
        String why = r.state() == InstallState.ROLLBACK_REQUESTED
                ? "rolled back after failed health checks: " + r.error()
                : "bootloader fell back to slot " + bootedSlot + ": slot " + r.targetSlot() + " did not confirm (crashed or hung before its health checks passed)";
        boot.setState(r.targetSlot(), SlotState.BAD);
        UpdateOutcome o = store.finish(r, InstallState.ROLLED_BACK, UpdateOutcome.Result.ROLLED_BACK, why);
        Logger.error("update {} -> {} {}", r.fromVersion(), r.toVersion(), why);
        return Optional.of(o);
    }

    private Optional<UpdateOutcome> confirmNewSlot(InstallRecord r) throws OtaException, InterruptedException {
        Instant end = clock.instant().plus(deadline);
        for (HealthCheck c : checks) {
            Duration left = Duration.between(clock.instant(), end);
            HealthCheck.Result res = left.isNegative() || left.isZero()
                    ? HealthCheck.Result.fail("deadline of " + deadline.toSeconds() + " s passed before it ran")
                    : c.check(left);
            if (res.passed() && clock.instant().isAfter(end)) res = HealthCheck.Result.fail("passed only after the deadline");
            if (!res.passed()) {
                String why = "health check '" + c.name() + "' failed: " + res.detail();
                Logger.error("install {}: {}; rolling back to slot {}", r.id(), why, r.sourceSlot());
                boot.setState(r.targetSlot(), SlotState.BAD);
                store.transition(r, InstallState.ROLLBACK_REQUESTED, why);
                rebooter.reboot();
                return Optional.empty();
            }
            Logger.info("health check '{}' passed {}", c.name(), res.detail());
        }
        boot.setState(r.targetSlot(), SlotState.GOOD);
        UpdateOutcome o = store.finish(r, InstallState.COMMITTED, UpdateOutcome.Result.SUCCESS, "all " + checks.size() + " health checks passed");
        Logger.info("update {} -> {} committed on slot {}", r.fromVersion(), r.toVersion(), r.targetSlot());
        return Optional.of(o);
    }
}
