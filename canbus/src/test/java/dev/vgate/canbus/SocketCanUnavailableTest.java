package dev.vgate.canbus;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Without kernel CAN, or without the interface, opening fails with a clear vgate error. */
class SocketCanUnavailableTest {
    static boolean kernelHasCan() { return Files.exists(Path.of("/proc/net/can")); }

    @Test void aKernelWithoutSocketCanIsNamed() {
        assumeTrue(System.getProperty("os.name").equalsIgnoreCase("linux"), "Linux only");
        assumeFalse(kernelHasCan(), "this kernel has SocketCAN");
        CanException e = assertThrows(CanException.class, () -> SocketCanChannel.open("vcan0", SocketCanConfig.defaults()));
        assertEquals("SocketCAN not available in this kernel (address family not supported): cannot open vcan0", e.getMessage());
    }

    @Test void aMissingInterfaceIsNamed() {
        assumeTrue(kernelHasCan(), "this kernel has no SocketCAN");
        CanException e = assertThrows(CanException.class, () -> SocketCanChannel.open("nosuchcan9", SocketCanConfig.defaults()));
        assertTrue(e.getMessage().startsWith("no CAN interface nosuchcan9 ("), e.getMessage());
    }

    @Test void badInterfaceNamesAreRejectedBeforeTheKernel() {
        assertThrows(CanException.class, () -> SocketCanChannel.open("", SocketCanConfig.defaults()));
        assertThrows(CanException.class, () -> SocketCanChannel.open("a/b", SocketCanConfig.defaults()));
        assertThrows(CanException.class, () -> SocketCanChannel.open("sixteen_chars_xx", SocketCanConfig.defaults()));
    }
}
