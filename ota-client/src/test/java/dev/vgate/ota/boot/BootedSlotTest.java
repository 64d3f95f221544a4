package dev.vgate.ota.boot;

import dev.vgate.ota.OtaException;
import dev.vgate.ota.install.Slot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one booted-slot detector (daemon and CLI): vgate.slot= / rauc.slot=, then root=, then the device mounted at /. */
class BootedSlotTest {
    @TempDir Path dir;

    private Slot a, b;
    private Path cmdline;

    private String detect(String line) throws Exception {
        Path va = dir.resolve("vda2"), vb = dir.resolve("vda3");
        if (!Files.exists(va)) {
            Files.writeString(va, "a");
            Files.writeString(vb, "b");
            Files.createSymbolicLink(dir.resolve("rootfs_b"), vb);
        }
        a = Slot.detect("A", va);
        b = Slot.detect("B", vb);
        cmdline = Files.writeString(dir.resolve("cmdline"), line + "\n");
        return BootedSlot.detect(cmdline, dir, a, b); // dir is a plain directory: mounted from neither slot
    }

    @Test void vgateSlotAndRaucSlotWinOverRoot() throws Exception {
        assertEquals("A", detect("root=" + dir.resolve("vda3") + " vgate.slot=A"));
        assertEquals("B", detect("console=ttyS0 root=/dev/mmcblk0p2 rauc.slot=B quiet"));
    }

    @Test void rootNamesTheSlotDirectlyOrThroughASymlink() throws Exception {
        assertEquals("A", detect("console=ttyAMA0 root=" + dir.resolve("vda2") + " panic=-1 quiet"));
        assertEquals("B", detect("root=" + dir.resolve("rootfs_b") + " ro"));
    }

    @Test void aSlotParameterNamingNeitherSlotIsAConfigError() {
        OtaException e = assertThrows(OtaException.class, () -> detect("vgate.slot=rootfs.1"));
        assertEquals(OtaException.Reason.CONFIG, e.reason());
        assertTrue(e.getMessage().contains("vgate.slot=rootfs.1 names neither slot A nor B"), e.getMessage());
    }

    @Test void unknownRootAndNoParameterAreErrorsNamingBothSlots() {
        OtaException e = assertThrows(OtaException.class, () -> detect("root=/dev/mmcblk0p7"));
        assertTrue(e.getMessage().contains("root=/dev/mmcblk0p7 is neither slot") && e.getMessage().contains("vda3"), e.getMessage());
        e = assertThrows(OtaException.class, () -> detect("console=ttyS0"));
        assertTrue(e.getMessage().contains("no vgate.slot=/rauc.slot=") && e.getMessage().contains("no root=")
                && e.getMessage().contains("mounted from neither"), e.getMessage());
    }

    @Test void partuuidAndLabelsGoThroughDevDisk() {
        assertEquals(Path.of("/dev/disk/by-partuuid/0a1b-02"), BootedSlot.rootDevice("PARTUUID=0A1B-02"));
        assertEquals(Path.of("/dev/disk/by-partlabel/rootfs_a"), BootedSlot.rootDevice("PARTLABEL=rootfs_a"));
        assertEquals(Path.of("/dev/vda2"), BootedSlot.rootDevice("/dev/vda2"));
    }
}
