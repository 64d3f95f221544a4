package dev.vgate.ota.install;

import dev.vgate.ota.OtaException;
import dev.vgate.ota.Sha256;
import dev.vgate.ota.boot.BootChooser;
import dev.vgate.ota.boot.SlotState;
import dev.vgate.ota.manifest.ManifestVerifier;
import dev.vgate.ota.manifest.VerifiedManifest;
import dev.vgate.ota.manifest.Version;
import dev.vgate.ota.patch.BsdiffApplier;
import dev.vgate.ota.patch.PatchSource;
import dev.vgate.protocol.ota.Manifest;
import org.tinylog.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;

import static dev.vgate.ota.OtaException.Reason.ABORTED;
import static dev.vgate.ota.OtaException.Reason.DOWNGRADE;
import static dev.vgate.ota.OtaException.Reason.EXPIRED;
import static dev.vgate.ota.OtaException.Reason.IO;
import static dev.vgate.ota.OtaException.Reason.SLOT_TOO_SMALL;
import static dev.vgate.ota.OtaException.Reason.TARGET_HASH_MISMATCH;
import static dev.vgate.ota.OtaException.Reason.WRONG_BASE_IMAGE;
import static dev.vgate.ota.OtaException.Reason.WRONG_HARDWARE;

/**
 * Installs a verified update into the slot that is not running, as a persisted plan:
 * <pre>
 *   PLANNED → CHECKED (signature, version, hardware, base image, slot size)
 *           → TARGET_MARKED_BAD (the bootloader must not pick a half-written slot)
 *           → WRITING → WRITTEN (streamed patch or full image, fsynced)
 *           → VERIFIED (read back, SHA-256 = target) → ACTIVE_MARKED (set_primary) → REBOOT_REQUESTED
 * </pre>
 * Only VERIFIED leads to the switch. After a power cut {@link #resume()} restarts any state before WRITTEN
 * from the checks (downloads continue from their partial files), re-verifies the slot in WRITTEN and
 * VERIFIED, and finishes the switch in ACTIVE_MARKED. The active slot is only ever read.
 */
public final class Installer {
    private final InstallStore store;
    private final ManifestVerifier verifier;
    private final BootChooser boot;
    private final Map<String, Slot> slots;
    private final DeviceInfo device;
    private final ArtifactSource artifacts;
    private final Rebooter rebooter;
    private final InstallHooks hooks;
    private final BsdiffApplier applier;

    public Installer(InstallStore store, ManifestVerifier verifier, BootChooser boot, Map<String, Slot> slots, DeviceInfo device,
                     ArtifactSource artifacts, Rebooter rebooter, InstallHooks hooks, BsdiffApplier applier) {
        this.store = store;
        this.verifier = verifier;
        this.boot = boot;
        this.slots = Map.copyOf(slots);
        this.device = device;
        this.artifacts = artifacts;
        this.rebooter = rebooter;
        this.hooks = hooks;
        this.applier = applier;
    }

    /** What an install did: its record and, for a finished or failed one, the target's SHA-256. */
    public record Result(InstallRecord record, byte[] targetSha256) {}

    /**
     * Verifies the manifest, then plans and runs the install. Rejections throw before anything is written
     * to a slot; the failure is recorded as an outcome.
     */
    public Result install(byte[] envelope) throws OtaException {
        if (store.current().isPresent())
            throw new OtaException(ABORTED, "another install (id " + store.current().get().id() + ") is unfinished; resume or abort it first");
        VerifiedManifest vm = verifier.verify(envelope);
        freshAndAboveFloor(vm);
        String target = bootOther();
        InstallRecord r = store.create(envelope, device.bootedSlot(), target, device.currentVersion(), vm.manifest().getTargetVersion());
        Logger.info("install {}: {} -> {} into slot {}", r.id(), r.fromVersion(), r.toVersion(), target);
        hooks.transitioned(InstallState.PLANNED);
        return run(r);
    }

    /** Continues the unfinished install after a restart, if there is one. */
    public java.util.Optional<Result> resume() throws OtaException {
        var cur = store.current();
        if (cur.isEmpty()) return java.util.Optional.empty();
        InstallRecord r = cur.get();
        if (r.state() == InstallState.REBOOT_REQUESTED || r.state() == InstallState.ROLLBACK_REQUESTED) return java.util.Optional.empty();
        if (r.state() == InstallState.ACTIVE_MARKED && device.bootedSlot().equals(r.targetSlot())) {
            // the power went after the switch: the bootloader already brought up the new slot on trial
            r = store.transition(r, InstallState.REBOOT_REQUESTED, null);
            return java.util.Optional.of(new Result(r, verifier.verify(r.envelope()).manifest().getTargetImage().getSha256().toByteArray()));
        }
        Logger.info("resuming install {} at {}", r.id(), r.state());
        if (r.state().ordinal() < InstallState.WRITTEN.ordinal() && r.state() != InstallState.PLANNED)
            r = store.transition(r, InstallState.PLANNED, null);
        return java.util.Optional.of(run(r));
    }

    /** Abandons the unfinished install: before the switch the target stays marked bad; after it, the switch is undone. */
    public void abort(String why) throws OtaException {
        var cur = store.current();
        if (cur.isEmpty()) return;
        InstallRecord r = cur.get();
        boot.setState(r.targetSlot(), SlotState.BAD);
        if (!r.sourceSlot().equals(boot.getPrimary())) boot.setPrimary(r.sourceSlot());
        store.finish(r, InstallState.ABORTED, dev.vgate.ota.install.UpdateOutcome.Result.ABORTED, why);
        Logger.warn("install {} aborted: {}", r.id(), why);
    }

    private Result run(InstallRecord r) throws OtaException {
        try {
            VerifiedManifest vm = verifier.verify(r.envelope());
            Manifest m = vm.manifest();
            Slot source = slot(r.sourceSlot()), target = slot(r.targetSlot());
            byte[] targetSha = m.getTargetImage().getSha256().toByteArray();
            if (r.state() == InstallState.PLANNED) {
                boolean full = checks(m, source, target);
                if (full != r.fullImage()) r = store.useFullImage(r);
                r = step(r, InstallState.CHECKED);
            }
            if (r.state() == InstallState.CHECKED) {
                boot.setState(target.name(), SlotState.BAD);
                r = step(r, InstallState.TARGET_MARKED_BAD);
            }
            if (r.state() == InstallState.TARGET_MARKED_BAD) {
                r = step(r, InstallState.WRITING);
                write(m, r.fullImage(), source, target);
                r = step(r, InstallState.WRITTEN);
            }
            if (r.state() == InstallState.WRITTEN || r.state() == InstallState.VERIFIED) {
                verifyTarget(target, m.getTargetImage().getSize(), targetSha);
                store.setSlotVersion(target.name(), m.getTargetVersion());
                if (r.state() == InstallState.WRITTEN) r = step(r, InstallState.VERIFIED);
                boot.setPrimary(target.name());
                r = step(r, InstallState.ACTIVE_MARKED);
            }
            if (r.state() == InstallState.ACTIVE_MARKED) {
                if (!target.name().equals(boot.getPrimary())) boot.setPrimary(target.name());
                r = step(r, InstallState.REBOOT_REQUESTED);
                Logger.info("install {}: slot {} verified and primary; requesting reboot", r.id(), target.name());
                rebooter.reboot();
            }
            return new Result(r, targetSha);
        } catch (OtaException e) {
            fail(r, e);
            throw e;
        }
    }

    private InstallRecord step(InstallRecord r, InstallState to) throws OtaException {
        InstallRecord n = store.transition(r, to, null);
        hooks.transitioned(to);
        return n;
    }

    /**
     * The quick part of the checks, without touching any slot or the state store: signature and role,
     * version, hardware and target slot size. Lets a caller (the start-ota command) refuse an update at once
     * with its reason; {@link #install} repeats them.
     */
    public VerifiedManifest accept(byte[] envelope) throws OtaException {
        VerifiedManifest vm = verifier.verify(envelope);
        freshAndAboveFloor(vm);
        quickChecks(vm.manifest(), slot(bootOther()));
        return vm;
    }

    /**
     * A new install only: the manifest has not expired, and its version is not below the anti-rollback floor
     * (the newest version that ever committed here) unless the root threshold co-signed it. A persisted install
     * that resumes is not re-checked for expiry (it may pass while the install runs); its signature is.
     */
    private void freshAndAboveFloor(VerifiedManifest vm) throws OtaException {
        String expired = vm.expiryProblem(store.clock().millis());
        if (expired != null) throw new OtaException(EXPIRED, expired);
        var floor = store.rollbackFloor();
        if (floor.isPresent() && vm.targetVersion().compareTo(floor.get()) < 0 && !vm.rootApproved()) {
            throw new OtaException(DOWNGRADE, "target version " + vm.targetVersion() + " is below the anti-rollback floor " + floor.get()
                    + (vm.manifest().getAllowDowngrade() ? " (allow_downgrade needs the root keys' threshold to go below the floor)" : ""));
        }
    }

    /** Pre-install checks. Returns true when the full image must be used (base image mismatch). */
    private boolean checks(Manifest m, Slot source, Slot target) throws OtaException {
        quickChecks(m, target);
        return !baseImageMatches(m, source);
    }

    private void quickChecks(Manifest m, Slot target) throws OtaException {
        Version to = Version.parse(m.getTargetVersion());
        Version from;
        try {
            from = Version.parse(device.currentVersion());
        } catch (IllegalArgumentException e) {
            throw new OtaException(IO, "current version: " + e.getMessage());
        }
        if (to.compareTo(from) <= 0 && !m.getAllowDowngrade())
            throw new OtaException(DOWNGRADE, "target version " + to + " is not newer than the running " + from + " and the manifest does not allow a downgrade");
        if (device.hardwareId() == null)
            Logger.warn("hardware id unknown: compatibility with {} not checked (offline apply without --hardware)", m.getCompatibleHardwareList());
        else if (!m.getCompatibleHardwareList().contains(device.hardwareId()))
            throw new OtaException(WRONG_HARDWARE, "this device is \"" + device.hardwareId() + "\", the update is for " + m.getCompatibleHardwareList());
        long size = m.getTargetImage().getSize();
        if (size > target.capacity())
            throw new OtaException(SLOT_TOO_SMALL, "slot " + target.name() + " holds " + target.capacity() + " bytes, the new image needs " + size);
    }

    /** True when the active slot holds the patch's base; false when the full image can stand in; else a rejection. */
    private boolean baseImageMatches(Manifest m, Slot source) throws OtaException {
        boolean baseOk;
        try {
            baseOk = m.getBaseImage().getSize() <= source.capacity()
                    && Arrays.equals(Sha256.ofPrefix(source.device(), m.getBaseImage().getSize()), m.getBaseImage().getSha256().toByteArray());
        } catch (IOException e) {
            throw new OtaException(IO, "reading active slot " + source.device() + ": " + e.getMessage(), e);
        }
        if (baseOk) return true;
        if (m.hasFullImage()) {
            Logger.warn("active slot {} does not hold the patch's base image; falling back to the full image", source.name());
            return false;
        }
        throw new OtaException(WRONG_BASE_IMAGE, "active slot " + source.name() + " does not hold the base image the patch needs (SHA-256 "
                + Sha256.hex(m.getBaseImage().getSha256().toByteArray()) + ") and the manifest offers no full image");
    }

    private void write(Manifest m, boolean full, Slot source, Slot target) throws OtaException {
        long size = m.getTargetImage().getSize();
        byte[] want = m.getTargetImage().getSha256().toByteArray();
        Path file = artifacts.fetch(full ? "full-image" : "patch", full ? m.getFullImage() : m.getPatch(), hooks::downloaded);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target.device(), StandardOpenOption.WRITE)) {
            byte[] got;
            if (full) {
                got = copy(in, out, size);
            } else {
                try (FileChannel old = FileChannel.open(source.device(), StandardOpenOption.READ)) {
                    BsdiffApplier.Result res = applier.apply(PatchSource.of(in), old, m.getBaseImage().getSize(), out, size,
                            (done, total) -> hooks.written(done, total));
                    if (res.newSize() != size)
                        throw new OtaException(TARGET_HASH_MISMATCH, "patch made " + res.newSize() + " bytes, the manifest's target is " + size);
                    got = res.sha256();
                }
            }
            out.force(true);
            if (!Arrays.equals(got, want))
                throw new OtaException(TARGET_HASH_MISMATCH, "written image has SHA-256 " + Sha256.hex(got) + ", manifest says " + Sha256.hex(want));
        } catch (IOException e) {
            throw new OtaException(IO, "writing slot " + target.name() + " (" + target.device() + "): " + e.getMessage(), e);
        }
    }

    private byte[] copy(FileChannel in, FileChannel out, long size) throws IOException {
        MessageDigest md = Sha256.newDigest();
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        long pos = 0;
        while (pos < size) {
            b.clear().limit((int) Math.min(b.capacity(), size - pos));
            if (in.read(b, pos) < 0) throw new IOException("full image ends at " + pos);
            b.flip();
            md.update(b.duplicate());
            while (b.hasRemaining()) pos += out.write(b, pos);
            hooks.written(pos, size);
        }
        return md.digest();
    }

    private static void verifyTarget(Slot target, long size, byte[] want) throws OtaException {
        byte[] got;
        try {
            got = Sha256.ofPrefix(target.device(), size);
        } catch (IOException e) {
            throw new OtaException(IO, "reading back slot " + target.name() + ": " + e.getMessage(), e);
        }
        if (!Arrays.equals(got, want))
            throw new OtaException(TARGET_HASH_MISMATCH, "slot " + target.name() + " reads back SHA-256 " + Sha256.hex(got) + ", expected " + Sha256.hex(want));
    }

    private void fail(InstallRecord r, OtaException e) {
        try {
            if (r.state().switched()) {
                Logger.error("install {} failed after the switch ({}); undoing it", r.id(), e.getMessage());
                boot.setState(r.targetSlot(), SlotState.BAD);
                if (!r.sourceSlot().equals(boot.getPrimary())) boot.setPrimary(r.sourceSlot());
            }
            store.finish(r, InstallState.FAILED, UpdateOutcome.Result.FAILED, e.getMessage());
            Logger.error("install {} failed: {}", r.id(), e.getMessage());
        } catch (OtaException e2) {
            e.addSuppressed(e2);
            Logger.error("install {} failed ({}) and recording it failed too: {}", r.id(), e.getMessage(), e2.getMessage());
        }
    }

    private Slot slot(String name) throws OtaException {
        Slot s = slots.get(name);
        if (s == null) throw new OtaException(IO, "no slot " + name + " is configured");
        return s;
    }

    private String bootOther() { return BootChooser.other(device.bootedSlot()); }
}
