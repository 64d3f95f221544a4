package dev.vgate.ota.boot;

import dev.vgate.ota.OtaException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the installer and the boot confirmer rely on, held by every {@link BootChooser}: the file backend, GRUB,
 * U-Boot with the bootcount scheme and U-Boot with the RAUC scheme, each on a device freshly set up to boot slot A.
 * How a backend counts attempts stays its own (and is tested with it); these are the shared promises.
 */
class BootChooserContractTest {
    @TempDir Path dir;

    /** A backend: sets up a fresh device booting A (both slots good) in a folder and returns a chooser over it. */
    record Backend(String name, Setup setup) {
        @Override public String toString() { return name; }
    }

    interface Setup { BootChooser fresh(Path dir) throws Exception; }

    static List<Backend> backends() {
        return List.of(
                new Backend("file", d -> new FileBootChooser(d.resolve("boot.properties"))),
                new Backend("grub", d -> {
                    Map<String, String> v = new LinkedHashMap<>();
                    v.put("ORDER", "A B");
                    v.put("A_OK", "1");
                    v.put("A_TRY", "0");
                    v.put("B_OK", "1");
                    v.put("B_TRY", "0");
                    Files.write(d.resolve("grubenv"), GrubEnv.encode(v));
                    return new GrubBootChooser(d.resolve("grubenv"));
                }),
                new Backend("uboot-bootcount", d -> {
                    Map<String, String> v = new LinkedHashMap<>();
                    v.put("boot_part", "2");
                    v.put("upgrade_available", "0");
                    v.put("bootcount", "0");
                    v.put("bootlimit", "3");
                    v.put("altbootcmd", "setenv boot_part 2; saveenv; run bootcmd");
                    return uboot(d, v, UbootBootChooser.Scheme.mender("boot_part", "2", "3", 3, null));
                }),
                new Backend("uboot-rauc", d -> {
                    Map<String, String> v = new LinkedHashMap<>();
                    v.put("BOOT_ORDER", "A B");
                    v.put("BOOT_A_LEFT", "3");
                    v.put("BOOT_B_LEFT", "3");
                    return uboot(d, v, UbootBootChooser.Scheme.rauc(3));
                }));
    }

    private static BootChooser uboot(Path d, Map<String, String> vars, UbootBootChooser.Scheme scheme) throws Exception {
        Files.write(d.resolve("uboot.env"), UbootEnvFormat.encode(vars, 0x4000, false));
        Files.writeString(d.resolve("fw_env.config"), d.resolve("uboot.env") + " 0x0 0x4000\n");
        return new UbootBootChooser(new UbootEnvStore(FwEnvConfig.load(d.resolve("fw_env.config"))), scheme);
    }

    @ParameterizedTest(name = "{0}") @MethodSource("backends")
    void aFreshDeviceBootsAAndBothSlotsAreGood(Backend b) throws Exception {
        BootChooser c = b.setup().fresh(dir);
        assertEquals("A", c.getPrimary());
        assertEquals(SlotState.GOOD, c.getState("A"));
        assertNotEquals(SlotState.BAD, c.getState("B"));
        assertTrue(!c.name().isBlank());
    }

    @ParameterizedTest(name = "{0}") @MethodSource("backends")
    void setPrimaryMakesTheSlotNextAndCommittingKeepsIt(Backend b) throws Exception {
        BootChooser c = b.setup().fresh(dir);
        c.setPrimary("B");
        assertEquals("B", c.getPrimary());
        assertNotEquals(SlotState.BAD, c.getState("B"));
        c.setState("B", SlotState.GOOD);
        assertEquals("B", c.getPrimary(), "a committed slot stays primary");
        assertEquals(SlotState.GOOD, c.getState("B"));
    }

    @ParameterizedTest(name = "{0}") @MethodSource("backends")
    void aSlotMarkedBadIsNeverTheNextBoot(Backend b) throws Exception {
        BootChooser c = b.setup().fresh(dir);
        c.setPrimary("B");
        c.setState("B", SlotState.BAD); // a failed trial
        assertEquals("A", c.getPrimary(), "back to the old slot");
        assertEquals(SlotState.GOOD, c.getState("A"));
    }

    @ParameterizedTest(name = "{0}") @MethodSource("backends")
    void theChoiceIsPersistedNotHeldInMemory(Backend b) throws Exception {
        b.setup().fresh(dir).setPrimary("B");
        BootChooser again = reopen(b);
        assertEquals("B", again.getPrimary(), "a new chooser on the same storage (after a reboot) sees the switch");
    }

    @ParameterizedTest(name = "{0}") @MethodSource("backends")
    void anUnknownSlotIsRefusedAndNothingChanges(Backend b) throws Exception {
        BootChooser c = b.setup().fresh(dir);
        assertThrows(IllegalArgumentException.class, () -> c.setPrimary("C"));
        assertEquals("A", c.getPrimary());
    }

    @ParameterizedTest(name = "{0}") @MethodSource("backends")
    void unreadableStorageIsABootControlErrorNamingTheBackend(Backend b) throws Exception {
        b.setup().fresh(dir);
        for (String f : new String[] {"boot.properties", "grubenv", "uboot.env"}) {
            Files.deleteIfExists(dir.resolve(f));
            Files.createDirectories(dir.resolve(f)); // a folder where the storage should be
        }
        BootChooser c = reopen(b);
        OtaException e = assertThrows(OtaException.class, c::getPrimary);
        assertEquals(OtaException.Reason.BOOT_CONTROL, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(c.name()) || e.getMessage().contains(b.name().replace("-bootcount", "").replace("-rauc", "")), e.getMessage());
    }

    /** A second chooser of the same backend over the storage in {@code dir} (as after a reboot). */
    private BootChooser reopen(Backend b) throws Exception {
        return switch (b.name()) {
            case "file" -> new FileBootChooser(dir.resolve("boot.properties"));
            case "grub" -> new GrubBootChooser(dir.resolve("grubenv"));
            case "uboot-rauc" -> new UbootBootChooser(new UbootEnvStore(FwEnvConfig.load(dir.resolve("fw_env.config"))), UbootBootChooser.Scheme.rauc(3));
            default -> new UbootBootChooser(new UbootEnvStore(FwEnvConfig.load(dir.resolve("fw_env.config"))),
                    UbootBootChooser.Scheme.mender("boot_part", "2", "3", 3, null));
        };
    }
}
