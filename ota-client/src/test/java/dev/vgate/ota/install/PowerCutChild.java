package dev.vgate.ota.install;

import dev.vgate.ota.boot.FwEnvConfig;
import dev.vgate.ota.boot.UbootBootChooser;
import dev.vgate.ota.boot.UbootEnvStore;
import dev.vgate.ota.download.DownloadPolicy;
import dev.vgate.ota.download.HttpDownloader;
import dev.vgate.ota.health.BootConfirmer;
import dev.vgate.ota.health.HealthCheck;
import dev.vgate.ota.patch.BsdiffApplier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The device side of the power-cut simulation, run in its own JVM: installs the update from the test's
 * HTTP server and, at the configured point, says "PAUSE" on stdout and waits to be SIGKILLed.
 * Args: DIR URL KIND VALUE, KIND one of transition (VALUE = state), download / apply (VALUE = byte offset),
 * verify (the install completes, then the kill comes during boot-verify's health checks on slot B).
 */
public final class PowerCutChild {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String kind = args[2], value = args[3];
        InstallHooks hooks = new InstallHooks() {
            @Override public void transitioned(InstallState s) { if (kind.equals("transition") && s.name().equals(value)) pause(); }
            @Override public void downloaded(long done, long total) { if (kind.equals("download") && done >= Long.parseLong(value)) pause(); }
            @Override public void written(long done, long total) { if (kind.equals("apply") && done >= Long.parseLong(value)) pause(); }
        };
        try (InstallStore store = new InstallStore(dir.resolve("ota.db"), Clock.systemUTC())) {
            Installer inst = PowerCutDevice.installer(dir, store, "A", hooks, () -> {});
            inst.install(Files.readAllBytes(dir.resolve("manifest.bin")));
            if (kind.equals("verify")) {
                // the device rebooted into B; the power goes while boot-verify runs its health checks
                HealthCheck check = new HealthCheck() {
                    @Override public String name() { return "power-cut"; }
                    @Override public Result check(Duration budget) { pause(); return Result.fail("not reached"); }
                };
                new BootConfirmer(store, PowerCutDevice.boot(dir), List.of(check), Duration.ofSeconds(30), () -> {}, Clock.systemUTC()).onStart("B");
            }
        }
        System.out.println("DONE");
        System.out.flush();
    }

    static void pause() {
        System.out.println("PAUSE");
        System.out.flush();
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The simulated device's wiring, shared by the child and the test's in-process restart. */
    static final class PowerCutDevice {
        static UbootBootChooser boot(Path dir) throws Exception {
            return new UbootBootChooser(new UbootEnvStore(FwEnvConfig.load(dir.resolve("fw_env.config"))),
                    UbootBootChooser.Scheme.mender("boot_part", "2", "3", 3, null));
        }

        static Installer installer(Path dir, InstallStore store, String booted, InstallHooks hooks, Rebooter rebooter) throws Exception {
            long cap = Files.size(dir.resolve("slotA.img"));
            HttpDownloader dl = new HttpDownloader(new DownloadPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20), 0, Duration.ofSeconds(5), Duration.ofSeconds(5)));
            Files.createDirectories(dir.resolve("dl"));
            return new Installer(store, new dev.vgate.ota.manifest.TrustStoreManifestVerifier(dev.vgate.trust.TrustStore.of(
                    dev.vgate.trust.TrustFile.load(dir.resolve("trust.yaml")).toState()), Duration.ofSeconds(30)), boot(dir),
                    Map.of("A", new Slot("A", dir.resolve("slotA.img"), cap), "B", new Slot("B", dir.resolve("slotB.img"), cap)),
                    new DeviceInfo("vgate-gw-1", booted, booted.equals("A") ? "1.0.0" : "1.1.0"),
                    ArtifactSource.http(dl, dir.resolve("dl")), rebooter, hooks, new BsdiffApplier());
        }
    }
}
