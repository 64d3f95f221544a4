package dev.vgate.agent.ota;

import dev.vgate.ota.OtaException;
import dev.vgate.ota.install.Slot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BootedSlotTest {
    @TempDir Path dir;

    private Map<String, Slot> slots() throws Exception {
        Path a = Files.writeString(dir.resolve("vda2"), "a"), b = Files.writeString(dir.resolve("vda3"), "b");
        Files.createSymbolicLink(dir.resolve("rootfs_b"), b);
        return Map.of("A", Slot.detect("A", a), "B", Slot.detect("B", b));
    }

    @Test void rootNamesTheSlotDirectlyOrThroughASymlink() throws Exception {
        Map<String, Slot> s = slots();
        assertEquals("A", BootedSlot.detect("console=ttyAMA0 root=" + dir.resolve("vda2") + " panic=-1 quiet", s));
        assertEquals("B", BootedSlot.detect("root=" + dir.resolve("rootfs_b") + " ro", s));
    }

    @Test void raucSlotWins() throws Exception {
        assertEquals("B", BootedSlot.detect("root=" + dir.resolve("vda2") + " rauc.slot=B", slots()));
    }

    @Test void unknownRootIsAnErrorNamingBothSlots() throws Exception {
        Map<String, Slot> s = slots();
        OtaException e = assertThrows(OtaException.class, () -> BootedSlot.detect("root=/dev/mmcblk0p7", s));
        assertTrue(e.getMessage().contains("root=/dev/mmcblk0p7 is neither slot A") && e.getMessage().contains("vda3"), e.getMessage());
        e = assertThrows(OtaException.class, () -> BootedSlot.detect("console=ttyS0", s));
        assertTrue(e.getMessage().contains("neither rauc.slot= nor root="), e.getMessage());
    }

    @Test void partuuidAndLabelsGoThroughDevDisk() {
        assertEquals(Path.of("/dev/disk/by-partuuid/0a1b-02"), BootedSlot.rootDevice("PARTUUID=0A1B-02"));
        assertEquals(Path.of("/dev/disk/by-partlabel/rootfs_a"), BootedSlot.rootDevice("PARTLABEL=rootfs_a"));
        assertEquals(Path.of("/dev/vda2"), BootedSlot.rootDevice("/dev/vda2"));
    }
}
