package dev.vgate.canbus;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link CanChannelContract} for SocketCAN, on a vcan interface of its own (so the other vcan tests' frames
 * cannot interleave): run by scripts/vcan-tests (needs root to create the interface).
 */
@Tag("vcan")
class SocketCanChannelContractTest extends CanChannelContract {
    static final String IFACE = "vgcontract0";

    @BeforeAll static void createInterface() throws Exception {
        Vcan.assumeInterfaces();
        deleteInterface();
        Process p = new ProcessBuilder("ip", "link", "add", "dev", IFACE, "type", "vcan").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        Vcan.need(p.waitFor() == 0, "cannot create " + IFACE + " (needs root): " + out);
        Vcan.run("ip", "link", "set", IFACE, "mtu", "72"); // CAN FD
        Vcan.run("ip", "link", "set", "up", IFACE);
    }

    @AfterAll static void deleteInterface() throws Exception {
        if (Files.exists(Path.of("/sys/class/net", IFACE))) Vcan.run("ip", "link", "del", IFACE);
    }

    @Override protected CanChannel[] openPair() throws Exception {
        return new CanChannel[] {SocketCanChannel.open(IFACE, SocketCanConfig.defaults()), SocketCanChannel.open(IFACE, SocketCanConfig.defaults())};
    }

    @Override protected boolean supportsFd() { return true; }
}
