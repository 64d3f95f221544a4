package dev.vgate.canbus;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorFramesTest {
    static List<CanEvent> decode(String cansend) throws Exception {
        CanFrame f = CandumpFormat.parseFrame(cansend, new CanFrame()).iface("can0");
        assertTrue(f.isError());
        return ErrorFrames.decode(f);
    }

    static List<CanEvent.Type> types(List<CanEvent> l) { return l.stream().map(CanEvent::type).toList(); }

    @Test void busOffAndErrorPassive() throws Exception {
        List<CanEvent> e = decode("20000044#0030000000000000");
        assertEquals(List.of(CanEvent.Type.BUS_OFF, CanEvent.Type.ERROR_PASSIVE), types(e));
        assertEquals("rx and tx", e.get(1).detail());
        assertEquals("can0", e.get(0).iface());
    }

    @Test void warningThenActiveAgainAndRestart() throws Exception {
        assertEquals(List.of(CanEvent.Type.ERROR_WARNING), types(decode("20000004#0008000000000000")));
        assertEquals(List.of(CanEvent.Type.ERROR_ACTIVE), types(decode("20000004#0040000000000000")));
        assertEquals(List.of(CanEvent.Type.RESTARTED), types(decode("20000100#0000000000000000")));
    }

    @Test void controllerProblemsAreDescribed() throws Exception {
        List<CanEvent> e = decode("20000004#0001000000000000");
        assertEquals(List.of(CanEvent.Type.CONTROLLER_PROBLEM), types(e));
        assertEquals("rx buffer overflow", e.get(0).detail());
        e = decode("200000AA#0700080000000000");
        assertEquals(List.of(CanEvent.Type.CONTROLLER_PROBLEM), types(e));
        assertEquals("lost arbitration at bit 7, protocol violation type 0x8 location 0x0, no ACK on transmission, bus error", e.get(0).detail());
    }

    @Test void anUnknownClassIsStillReported() throws Exception {
        List<CanEvent> e = decode("20000200#0000000000000000");
        assertEquals(List.of(CanEvent.Type.CONTROLLER_PROBLEM), types(e));
        assertTrue(e.get(0).detail().startsWith("error frame 0x200"), e.get(0).detail());
    }
}
