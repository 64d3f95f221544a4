package dev.vgate.ota.install;

import com.google.protobuf.ByteString;
import dev.vgate.ota.OtaException;
import dev.vgate.ota.OtaException.Reason;
import dev.vgate.ota.TestDevice;
import dev.vgate.ota.boot.SlotState;
import dev.vgate.ota.health.BootConfirmer;
import dev.vgate.ota.health.CommandHealthCheck;
import dev.vgate.ota.health.HealthCheck;
import dev.vgate.protocol.ota.Artifact;
import dev.vgate.protocol.ota.ImageRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstallerTest {
    @TempDir Path dir;
    TestDevice dev;
    byte[] slotABefore;

    @BeforeEach void setUp() throws Exception {
        dev = new TestDevice(dir, 64 * 1024);
        slotABefore = Files.readAllBytes(dev.slotA);
    }

    @AfterEach void tearDown() { dev.close(); }

    @Test void installsVerifiesAndSwitches() throws Exception {
        AtomicInteger reboots = new AtomicInteger();
        Installer.Result r = dev.installer("A", "1.0.0", ArtifactSource.local(Map.of("patch", dev.patchFile)), reboots::incrementAndGet, InstallHooks.NONE)
                .install(dev.signed(b -> {}));
        assertEquals(InstallState.REBOOT_REQUESTED, r.record().state());
        assertEquals(1, reboots.get());
        assertArrayEquals(dev.newImg, dev.slot(dev.slotB, dev.newImg.length));
        assertEquals("B", dev.boot.getPrimary());
        assertEquals(SlotState.TRIAL, dev.boot.getState("B"));
        assertArrayEquals(slotABefore, Files.readAllBytes(dev.slotA));
    }

    /** Every bad update is refused with its own reason, and slot A and the boot choice stay as they were. */
    @Test void badUpdatesAreRejectedWithTheirOwnReason() throws Exception {
        var other = TestDevice.newKey();
        byte[] flipped = dev.patch.clone();
        flipped[flipped.length / 2] ^= 1;
        byte[] truncated = Arrays.copyOf(dev.patch, dev.patch.length - 100);
        byte[] wrongOutput = TestDevice.sha("something else".getBytes());
        record Case(String name, Reason reason, byte[] envelope, byte[] patchBytes, String version) {}
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("bad signature", Reason.BAD_SIGNATURE, dev.signedWith(other, "release", b -> {}), null, "1.0.0"));
        cases.add(new Case("unknown key", Reason.UNKNOWN_KEY, dev.signedWith(other, "someone", b -> {}), null, "1.0.0"));
        cases.add(new Case("wrong role", Reason.WRONG_ROLE, commandsKeySigned(), null, "1.0.0"));
        cases.add(new Case("downgrade", Reason.DOWNGRADE, dev.signed(b -> b.setTargetVersion("0.9.7")), null, "1.0.0"));
        cases.add(new Case("same version", Reason.DOWNGRADE, dev.signed(b -> b.setTargetVersion("1.0.0")), null, "1.0.0"));
        cases.add(new Case("wrong hardware", Reason.WRONG_HARDWARE, dev.signed(b -> b.clearCompatibleHardware().addCompatibleHardware("other-ecu")), null, "1.0.0"));
        cases.add(new Case("wrong base image", Reason.WRONG_BASE_IMAGE, dev.signed(b -> b.setBaseImage(ImageRef.newBuilder().setSize(dev.oldImg.length).setSha256(ByteString.copyFrom(wrongOutput)))), null, "1.0.0"));
        cases.add(new Case("flipped patch byte", Reason.PATCH_HASH_MISMATCH, dev.signed(b -> {}), flipped, "1.0.0"));
        cases.add(new Case("truncated patch", Reason.PATCH_HASH_MISMATCH, dev.signed(b -> {}), truncated, "1.0.0"));
        cases.add(new Case("flipped patch byte, signed hash", Reason.CORRUPT_PATCH, dev.signed(b -> b.setPatch(artifact(flipped))), flipped, "1.0.0"));
        cases.add(new Case("truncated patch, signed hash", Reason.CORRUPT_PATCH, dev.signed(b -> b.setPatch(artifact(truncated))), truncated, "1.0.0"));
        cases.add(new Case("output hash mismatch", Reason.TARGET_HASH_MISMATCH, dev.signed(b -> b.setTargetImage(ImageRef.newBuilder().setSize(dev.newImg.length).setSha256(ByteString.copyFrom(wrongOutput)))), null, "1.0.0"));
        cases.add(new Case("slot too small", Reason.SLOT_TOO_SMALL, dev.signed(b -> b.setTargetImage(ImageRef.newBuilder().setSize(dev.slotSize + 1).setSha256(ByteString.copyFrom(wrongOutput)))), null, "1.0.0"));
        cases.add(new Case("malformed manifest", Reason.MALFORMED_MANIFEST, "not a protobuf at all".getBytes(), null, "1.0.0"));
        for (Case c : cases) {
            Path p = dir.resolve("case.bin");
            Files.write(p, c.patchBytes() == null ? dev.patch : c.patchBytes());
            Installer inst = dev.installer("A", c.version(), ArtifactSource.local(Map.of("patch", p)), () -> { throw new AssertionError("rebooted"); }, InstallHooks.NONE);
            OtaException e = assertThrows(OtaException.class, () -> inst.install(c.envelope()), c.name());
            assertEquals(c.reason(), e.reason(), c.name() + ": " + e.getMessage());
            assertArrayEquals(slotABefore, Files.readAllBytes(dev.slotA), c.name() + ": active slot changed");
            assertEquals("A", dev.boot.getPrimary(), c.name() + ": boot choice changed");
        }
        // every failure that got as far as a plan left a FAILED outcome with its reason for the cloud
        assertTrue(dev.store.pendingOutcomes().stream().allMatch(o -> o.result() == UpdateOutcome.Result.FAILED));
        assertTrue(dev.store.pendingOutcomes().size() >= 8);
    }

    Artifact artifact(byte[] p) {
        return Artifact.newBuilder().setSize(p.length).setSha256(ByteString.copyFrom(TestDevice.sha(p))).build();
    }

    byte[] commandsKeySigned() throws Exception {
        // a key that is trusted, but only for commands: re-write the trust file with our own key in the command role
        var k = TestDevice.newKey();
        String t = Files.readString(dev.trustFile);
        Files.writeString(dev.trustFile, t.replace("root:\n", commandRoleEntry(k) + "root:\n"));
        return dev.signedWith(k, "cmd-only", b -> {});
    }

    static String commandRoleEntry(dev.vgate.trust.crypto.PrivateKey k) {
        return TestDevice.entry("cmd-only", k, "commands: [unlock]");
    }

    @Test void baseMismatchFallsBackToFullImage() throws Exception {
        byte[] garbage = TestDevice.sha("x".getBytes());
        Installer.Result r = dev.installer().install(dev.signed(b -> b
                .setBaseImage(ImageRef.newBuilder().setSize(dev.oldImg.length).setSha256(ByteString.copyFrom(garbage)))
                .setFullImage(artifact(dev.newImg))));
        assertTrue(r.record().fullImage());
        assertArrayEquals(dev.newImg, dev.slot(dev.slotB, dev.newImg.length));
        assertEquals("B", dev.boot.getPrimary());
    }

    @Test void allowedDowngradeInstalls() throws Exception {
        dev.installer("A", "2.0.0", ArtifactSource.local(Map.of("patch", dev.patchFile)), Rebooter.NONE, InstallHooks.NONE)
                .install(dev.signed(b -> b.setAllowDowngrade(true)));
        assertEquals("B", dev.boot.getPrimary());
    }

    private BootConfirmer confirmer(HealthCheck check, AtomicInteger reboots) {
        return new BootConfirmer(dev.store, dev.boot, List.of(check), Duration.ofSeconds(10), reboots::incrementAndGet, Clock.systemUTC());
    }

    @Test void passingHealthCheckCommits() throws Exception {
        dev.installer().install(dev.signed(b -> {}));
        AtomicInteger reboots = new AtomicInteger();
        var o = confirmer(new CommandHealthCheck("true", List.of("true")), reboots).onStart("B").orElseThrow();
        assertEquals(UpdateOutcome.Result.SUCCESS, o.result());
        assertEquals("1.0.0", o.fromVersion());
        assertEquals("1.1.0", o.toVersion());
        assertEquals(SlotState.GOOD, dev.boot.getState("B"));
        assertEquals("B", dev.boot.getPrimary());
        assertEquals(0, reboots.get());
    }

    @Test void failingHealthCheckRollsBackAndReportsIt() throws Exception {
        dev.installer().install(dev.signed(b -> {}));
        AtomicInteger reboots = new AtomicInteger();
        var check = new CommandHealthCheck("can0-frames", List.of("sh", "-c", "echo no frames on can0; exit 3"));
        assertTrue(confirmer(check, reboots).onStart("B").isEmpty());
        assertEquals(1, reboots.get());
        assertEquals("A", dev.boot.getPrimary());
        assertEquals(SlotState.BAD, dev.boot.getState("B"));
        // the bootloader brings up A; the confirmer there reports the rollback
        var o = confirmer(check, reboots).onStart("A").orElseThrow();
        assertEquals(UpdateOutcome.Result.ROLLED_BACK, o.result());
        assertTrue(o.reason().contains("can0-frames") && o.reason().contains("no frames on can0"), o.reason());
        assertEquals(List.of(o), dev.store.pendingOutcomes());
    }

    @Test void bootloaderFallbackIsDetected() throws Exception {
        dev.installer().install(dev.signed(b -> {}));
        dev.boot.setState("B", SlotState.BAD); // the bootloader gave up on B after its attempts
        var o = confirmer(new CommandHealthCheck("true", List.of("true")), new AtomicInteger()).onStart("A").orElseThrow();
        assertEquals(UpdateOutcome.Result.ROLLED_BACK, o.result());
        assertTrue(o.reason().contains("bootloader fell back"), o.reason());
    }

    /** Thrown by a hook to stop an install the way a power cut would: nothing after it runs or is recorded. */
    static final class PowerCut extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private Installer cutAt(InstallState at) throws OtaException {
        InstallHooks hooks = new InstallHooks() {
            @Override public void transitioned(InstallState s) {
                if (s == at) throw new PowerCut();
            }
        };
        return dev.installer("A", "1.0.0", ArtifactSource.local(Map.of("patch", dev.patchFile)), () -> {
            throw new AssertionError("no reboot expected");
        }, hooks);
    }

    @Test void powerLostAfterTheSwitchIsVerifiedAsTheTrialBoot() throws Exception {
        assertThrows(PowerCut.class, () -> cutAt(InstallState.ACTIVE_MARKED).install(dev.signed(b -> {})));
        assertEquals(InstallState.ACTIVE_MARKED, dev.store.current().orElseThrow().state());
        AtomicInteger reboots = new AtomicInteger();
        // the bootloader tries B (the switch had reached it); B passes its checks and is committed
        var o = confirmer(new CommandHealthCheck("true", List.of("true")), reboots).onStart("B").orElseThrow();
        assertEquals(UpdateOutcome.Result.SUCCESS, o.result());
        assertEquals(SlotState.GOOD, dev.boot.getState("B"));
        assertEquals(0, reboots.get());
    }

    @Test void powerLostDuringTheSwitchWriteIsVerifiedWhereverTheBootloaderWent() throws Exception {
        assertThrows(PowerCut.class, () -> cutAt(InstallState.VERIFIED).install(dev.signed(b -> {})));
        AtomicInteger reboots = new AtomicInteger();
        BootConfirmer c = confirmer(new CommandHealthCheck("true", List.of("true")), reboots);
        // the bootloader's variables were not written yet: back on A, nothing is confirmed or switched
        assertTrue(c.onStart("A").isEmpty());
        assertEquals(InstallState.VERIFIED, dev.store.current().orElseThrow().state());
        assertEquals("A", dev.boot.getPrimary());
        assertEquals(0, reboots.get());
        // they were written just before the cut: the bootloader tries B, which commits
        dev.boot.setPrimary("B");
        assertEquals(UpdateOutcome.Result.SUCCESS, c.onStart("B").orElseThrow().result());
        assertEquals(SlotState.GOOD, dev.boot.getState("B"));
    }

    @Test void switchedButNotRebootedOnTheOldSlotReboots() throws Exception {
        assertThrows(PowerCut.class, () -> cutAt(InstallState.ACTIVE_MARKED).install(dev.signed(b -> {})));
        AtomicInteger reboots = new AtomicInteger();
        assertTrue(confirmer(new CommandHealthCheck("true", List.of("true")), reboots).onStart("A").isEmpty());
        assertEquals(1, reboots.get());
        assertEquals(SlotState.TRIAL, dev.boot.getState("B"));
    }

    @Test void slowHealthCheckMissesTheDeadline() throws Exception {
        dev.installer().install(dev.signed(b -> {}));
        AtomicInteger reboots = new AtomicInteger();
        var c = new BootConfirmer(dev.store, dev.boot, List.of(new CommandHealthCheck("slow", List.of("sleep", "5"))), Duration.ofMillis(300),
                reboots::incrementAndGet, Clock.systemUTC());
        assertTrue(c.onStart("B").isEmpty());
        assertEquals(1, reboots.get());
        assertEquals("A", dev.boot.getPrimary());
    }

    @Test void abortBeforeSwitchKeepsOldSlot() throws Exception {
        var store = dev.store;
        var rec = store.create(dev.signed(b -> {}), "A", "B", "1.0.0", "1.1.0");
        store.transition(rec, InstallState.WRITING, null);
        dev.installer().abort("operator cancelled");
        assertEquals("A", dev.boot.getPrimary());
        assertEquals(SlotState.BAD, dev.boot.getState("B"));
        assertEquals(UpdateOutcome.Result.ABORTED, store.pendingOutcomes().get(0).result());
    }
}
