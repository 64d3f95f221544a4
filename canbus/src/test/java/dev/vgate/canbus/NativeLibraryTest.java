package dev.vgate.canbus;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class NativeLibraryTest {
    /** ELF e_machine values: the library in each folder must be built for that CPU. */
    static final Map<String, Integer> ELF_MACHINE = Map.of("x86_64", 62, "aarch64", 183, "armv7", 40);

    @Test void javaArchNamesMapToTheShippedFolders() {
        assertEquals("x86_64", NativeLibrary.archDirectory("amd64"));
        assertEquals("x86_64", NativeLibrary.archDirectory("x86_64"));
        assertEquals("aarch64", NativeLibrary.archDirectory("aarch64"));
        assertEquals("armv7", NativeLibrary.archDirectory("arm"));
        assertNull(NativeLibrary.archDirectory("riscv64"));
        assertNull(NativeLibrary.archDirectory("x86"));
    }

    @Test void eachFolderHoldsALibraryForItsCpu() throws Exception {
        for (Map.Entry<String, Integer> e : ELF_MACHINE.entrySet()) {
            String res = "/vgate-native/" + e.getKey() + "/native/libjavacan-core.so";
            try (InputStream in = NativeLibrary.class.getResourceAsStream(res)) {
                assertNotNull(in, res + " missing");
                byte[] head = in.readNBytes(20);
                assertEquals(0x7F, head[0]);
                assertEquals('E', head[1]);
                int machine = ByteBuffer.wrap(head, 18, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
                assertEquals(e.getValue(), machine, res);
            }
        }
    }
}
