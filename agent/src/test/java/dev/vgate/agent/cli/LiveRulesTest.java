package dev.vgate.agent.cli;

import dev.vgate.canbus.CanChannel;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.VirtualBus;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.rules.RuleDbc;
import dev.vgate.rules.RuleSet;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The live wiring on an in-process bus: the default cutoff rule answers another node's frames on the same bus. */
class LiveRulesTest {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long WAIT_S = 30;

    @Test void overTemperatureOnTheBusGivesTheCutoffFramesAnAlertAndAFault() throws Exception {
        AtomicLong clock = new AtomicLong(T0);
        VirtualBus bus = new VirtualBus("vcan0", clock::get);
        DbcDatabase db = DemoDbc.load();
        List<CanFrame> seenByBms = new CopyOnWriteArrayList<>();
        List<String> alerts = new CopyOnWriteArrayList<>();
        try (CanChannel bms = bus.newChannel();
             AlertPrinter printer = new AlertPrinter(alerts::add);
             LiveRules live = new LiveRules(bus.newChannel(), db, RuleSet.defaults(RuleDbc.of(db)), printer, clock::get)) {
            bms.start(f -> seenByBms.add(f.copy()));
            live.start();

            bms.send(thermal("8A02000064000000"));        // BMS_Temp 65.0 degC: the 200 ms debounce starts
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
            bms.send(thermal("8A02000064000000"));        // 100 ms: not yet
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(150));
            bms.send(thermal("8A02000064000000"));        // 250 ms over 60 degC: fires
            // Time goes on while we wait. Under load the engine's timer can tick at 250 ms before the receive thread
            // hands it the three frames; those then count as late (at 250 ms) and the debounce ends 200 ms after that.
            await("3 cutoff frames", () -> {
                clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
                return cutoffs(seenByBms) == 3;
            });
            for (CanFrame f : seenByBms) {
                if (f.id() == 0x301) assertEquals("0100000100000000", HexFormat.of().formatHex(f.payload()).toUpperCase(), "BMS_Command payload");
            }
            await("fired alert", () -> alerts.stream().anyMatch(a -> a.contains("\"event\":\"fired\"") && a.contains("battery-overtemp-cutoff")));
            assertTrue(live.faults().isActive("P0A7E"));

            clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
            bms.send(thermal("1402000064000000"));        // 53.2 degC: below the 55 degC clear level
            await("cleared alert", () -> alerts.stream().anyMatch(a -> a.contains("\"event\":\"cleared\"") && a.contains("battery-overtemp-cutoff")));
            assertFalse(live.faults().isActive("P0A7E"));
            assertEquals(3, cutoffs(seenByBms), "the cutoff is sent once per firing");
            assertEquals(0, live.sendFailures());
        }
    }

    private static CanFrame thermal(String hex) {
        return new CanFrame().id(0x101).data(HexFormat.of().parseHex(hex));
    }

    private static long cutoffs(List<CanFrame> frames) {
        return frames.stream().filter(f -> f.id() == 0x301).count();
    }

    private static void await(String what, BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) fail("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }
}
