package dev.vgate.ota;

import com.google.protobuf.ByteString;
import dev.vgate.ota.boot.SlotState;
import dev.vgate.ota.download.DownloadPolicy;
import dev.vgate.ota.download.FlakyServer;
import dev.vgate.ota.health.ConditionHealthCheck;
import dev.vgate.ota.health.HealthCheck;
import dev.vgate.ota.install.InstallState;
import dev.vgate.ota.install.InstallStore;
import dev.vgate.ota.install.Rebooter;
import dev.vgate.ota.install.Slot;
import dev.vgate.ota.install.UpdateOutcome;
import dev.vgate.protocol.ota.Artifact;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The daemon's entry point end to end: a start-ota manifest, download, install, reboot, boot-verify. */
class OtaServiceTest {
    @TempDir Path dir;
    TestDevice dev;
    FlakyServer server;
    byte[] slotABefore;
    final AtomicInteger reboots = new AtomicInteger();
    final List<OtaListener.Progress> progress = new CopyOnWriteArrayList<>();
    final List<UpdateOutcome> outcomes = new CopyOnWriteArrayList<>();
    final OtaListener listener = new OtaListener() {
        @Override public void progress(Progress p) { progress.add(p); }
        @Override public void outcome(UpdateOutcome o) { outcomes.add(o); }
    };

    @BeforeEach void setUp() throws Exception {
        dev = new TestDevice(dir, 256 * 1024);
        server = new FlakyServer(dev.patch, 1, 10_000); // one dropped connection: the download resumes
        slotABefore = Files.readAllBytes(dev.slotA);
    }

    @AfterEach void tearDown() {
        server.close();
        dev.close();
    }

    OtaSettings settings(String booted, List<HealthCheck> checks, Duration deadline) throws OtaException {
        return new OtaSettings(dir.resolve("state"), new Slot("A", dev.slotA, dev.slotSize), new Slot("B", dev.slotB, dev.slotSize), booted,
                dev.boot, dev.verifier(), TestDevice.HW, "1.0.0", reboots::incrementAndGet,
                checks, deadline, new DownloadPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20), 0, Duration.ofSeconds(10), Duration.ofSeconds(30)),
                Clock.systemUTC());
    }

    byte[] manifest() throws Exception {
        return dev.signed(b -> b.setPatch(Artifact.newBuilder().addUrls(server.uri("/patch.bin").toString())
                .setSize(dev.patch.length).setSha256(ByteString.copyFrom(TestDevice.sha(dev.patch)))));
    }

    /** Runs start() on slot A and waits for the worker: the device is then switched to B and asked to reboot. */
    void installOnA() throws Exception {
        try (OtaService ota = OtaService.open(settings("A", List.of(), Duration.ofSeconds(10)), listener)) {
            ota.start(manifest());
            assertTrue(ota.awaitIdle(30, TimeUnit.SECONDS), "install did not finish in 30 s");
            assertEquals(InstallState.REBOOT_REQUESTED, ota.current().orElseThrow().state());
        }
        assertEquals(1, reboots.get());
        assertEquals("B", dev.boot.getPrimary());
        assertEquals(SlotState.TRIAL, dev.boot.getState("B"));
        assertArrayEquals(dev.newImg, dev.slot(dev.slotB, dev.newImg.length));
        assertArrayEquals(slotABefore, Files.readAllBytes(dev.slotA));
    }

    @Test void startInstallsThenAPassingBootVerifyCommits() throws Exception {
        installOnA();
        assertTrue(progress.stream().anyMatch(p -> p.phase().equals("download") && p.percent() == 100), "download progress reached 100 %");
        assertTrue(progress.stream().anyMatch(p -> p.phase().equals("write") && p.percent() == 100), "write progress reached 100 %");
        assertTrue(progress.stream().allMatch(p -> p.toVersion().equals("1.1.0")));
        AtomicBoolean canFrames = new AtomicBoolean();
        new Thread(() -> canFrames.set(true)).start(); // the evidence arrives while the check waits
        HealthCheck can = ConditionHealthCheck.of("can0-frames", canFrames::get, "no frames on can0 yet");
        try (OtaService ota = OtaService.open(settings("B", List.of(can), Duration.ofSeconds(20)), listener)) {
            UpdateOutcome o = ota.bootVerify().orElseThrow();
            assertEquals(UpdateOutcome.Result.SUCCESS, o.result());
            assertEquals(List.of(o), outcomes);
            assertEquals(List.of(o), ota.pendingOutcomes());
            ota.markReported(o.id());
            assertEquals(List.of(), ota.pendingOutcomes());
        }
        assertEquals(SlotState.GOOD, dev.boot.getState("B"));
        assertEquals(1, reboots.get());
    }

    @Test void aFailingHealthCheckRollsBackAndTheOldSlotReportsIt() throws Exception {
        installOnA();
        HealthCheck broker = ConditionHealthCheck.of("broker", () -> false, "broker not connected");
        try (OtaService ota = OtaService.open(settings("B", List.of(broker), Duration.ofMillis(300)), listener)) {
            assertTrue(ota.bootVerify().isEmpty());
        }
        assertEquals(2, reboots.get(), "rebooted to let the bootloader take slot A");
        assertEquals("A", dev.boot.getPrimary());
        try (OtaService ota = OtaService.open(settings("A", List.of(broker), Duration.ofMillis(300)), listener)) {
            UpdateOutcome o = ota.bootVerify().orElseThrow();
            assertEquals(UpdateOutcome.Result.ROLLED_BACK, o.result());
            assertTrue(o.reason().contains("broker not connected"), o.reason());
            assertEquals("1.0.0", o.fromVersion());
            assertEquals("1.1.0", o.toVersion());
        }
        assertArrayEquals(slotABefore, Files.readAllBytes(dev.slotA));
    }

    @Test void refusedUpdatesThrowAtOnceAndRecordNothing() throws Exception {
        try (OtaService ota = OtaService.open(settings("A", List.of(), Duration.ofSeconds(10)), listener)) {
            OtaException down = assertThrows(OtaException.class, () -> ota.start(dev.signed(b -> b.setTargetVersion("0.9"))));
            assertEquals(OtaException.Reason.DOWNGRADE, down.reason());
            OtaException hw = assertThrows(OtaException.class, () -> ota.start(dev.signed(b -> b.clearCompatibleHardware().addCompatibleHardware("x"))));
            assertEquals(OtaException.Reason.WRONG_HARDWARE, hw.reason());
            OtaException junk = assertThrows(OtaException.class, () -> ota.start(new byte[] {1, 2, 3}));
            assertEquals(OtaException.Reason.MALFORMED_MANIFEST, junk.reason());
            assertTrue(ota.current().isEmpty());
            assertEquals(List.of(), ota.pendingOutcomes());
            assertTrue(!ota.busy());
        }
        assertEquals("A", dev.boot.getPrimary());
        assertEquals(0, reboots.get());
    }

    @Test void aSecondStartWhileOneIsUnfinishedIsBusy() throws Exception {
        try (OtaService ota = OtaService.open(settings("A", List.of(), Duration.ofSeconds(10)), listener)) {
            ota.start(manifest());
            assertTrue(ota.awaitIdle(30, TimeUnit.SECONDS));
            OtaException e = assertThrows(OtaException.class, () -> ota.start(manifest()));
            assertEquals(OtaException.Reason.BUSY, e.reason());
            assertTrue(e.getMessage().contains("REBOOT_REQUESTED"), e.getMessage());
        }
    }

    @Test void bootVerifyResumesAnInstallCutShortBeforeTheSwitch() throws Exception {
        Files.createDirectories(dir.resolve("state"));
        try (InstallStore s = new InstallStore(dir.resolve("state").resolve("ota.db"), Clock.systemUTC())) {
            var r = s.create(manifest(), "A", "B", "1.0.0", "1.1.0");
            s.transition(r, InstallState.WRITING, null); // the power went while the slot was being written
        }
        Files.write(dev.slotB, new byte[(int) dev.slotSize]);
        try (OtaService ota = OtaService.open(settings("A", List.of(), Duration.ofSeconds(10)), listener)) {
            assertTrue(ota.bootVerify().isEmpty());
            assertTrue(ota.awaitIdle(30, TimeUnit.SECONDS));
            assertEquals(InstallState.REBOOT_REQUESTED, ota.current().orElseThrow().state());
        }
        assertArrayEquals(dev.newImg, dev.slot(dev.slotB, dev.newImg.length));
        assertEquals("B", dev.boot.getPrimary());
        assertEquals(1, reboots.get());
    }

    @Test void powerLostRightAfterTheSwitchIsConfirmedAsTheTrialBootWithoutAReboot() throws Exception {
        Files.createDirectories(dir.resolve("state"));
        Files.write(dev.slotB, java.util.Arrays.copyOf(dev.newImg, (int) dev.slotSize));
        try (InstallStore s = new InstallStore(dir.resolve("state").resolve("ota.db"), Clock.systemUTC())) {
            var r = s.create(manifest(), "A", "B", "1.0.0", "1.1.0");
            s.transition(r, InstallState.VERIFIED, null); // verified; the switch reached the bootloader, the next step did not
        }
        dev.boot.setPrimary("B");
        HealthCheck ok = ConditionHealthCheck.of("ok", () -> true, "");
        try (OtaService ota = OtaService.open(settings("B", List.of(ok), Duration.ofSeconds(10)), listener)) {
            assertEquals(UpdateOutcome.Result.SUCCESS, ota.bootVerify().orElseThrow().result());
            assertTrue(ota.awaitIdle(10, TimeUnit.SECONDS));
        }
        assertEquals(0, reboots.get(), "the trial boot is confirmed, not re-installed and rebooted");
        assertEquals(SlotState.GOOD, dev.boot.getState("B"));
    }

    @Test void impossibleSettingsAreNamed() {
        OtaSettings bad = new OtaSettings(dir, new Slot("A", dev.slotA, 1), new Slot("B", dev.slotA, 1), "C", dev.boot, null, "",
                "1.0.0", Rebooter.NONE, List.of(), Duration.ZERO, null, Clock.systemUTC());
        OtaException e = assertThrows(OtaException.class, () -> OtaService.open(bad, OtaListener.NONE));
        assertEquals(OtaException.Reason.CONFIG, e.reason());
        for (String what : List.of("same device", "bootedSlot must be A or B, not C", "verifier", "hardwareId", "healthDeadline", "download"))
            assertTrue(e.getMessage().contains(what), what + " in " + e.getMessage());
    }

    @Test void identityComesFromHardwareIdAndOsRelease() throws Exception {
        Path hw = dir.resolve("hardware-id"), os = dir.resolve("os-release");
        Files.writeString(hw, "vgate-gw-1\n");
        Files.writeString(os, "ID=vgate\nNAME=\"vgate Linux\"\nVERSION_ID=\"1.4.2\"\n");
        assertEquals("vgate-gw-1", DeviceIdentity.hardwareId(hw));
        assertEquals("1.4.2", DeviceIdentity.imageVersion(os));
        Files.writeString(os, "ID=vgate\n");
        assertTrue(assertThrows(OtaException.class, () -> DeviceIdentity.imageVersion(os)).getMessage().contains("no VERSION_ID"));
        Files.writeString(hw, "  \n");
        assertEquals(OtaException.Reason.CONFIG, assertThrows(OtaException.class, () -> DeviceIdentity.hardwareId(hw)).reason());
        assertEquals(OtaException.Reason.CONFIG, assertThrows(OtaException.class, () -> DeviceIdentity.hardwareId(dir.resolve("missing"))).reason());
    }
}
