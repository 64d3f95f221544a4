package dev.vgate.rules;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The per-sample path allocates nothing (GC pauses are latency): counted with the JVM's per-thread allocation counter. */
class AllocationTest {
    @Test void evaluatingSamplesAllocatesNothing() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported(), "per-thread allocation counting not supported by this JVM");
        Harness h = new Harness(RuleSet.defaultRulesText().replace("", ""));
        String[] sigs = {"BMS_Temp", "CoolantTemp", "ChargePower", "ChargeState", "ChargeEnergy", "SoC", "LongAccel", "BrakePressure", "VehicleSpeed"};
        int[] idx = new int[sigs.length];
        for (int k = 0; k < sigs.length; k++) idx[k] = h.dbc.signal(sigs[k]).index();
        Sample s = new Sample().iface("can0");
        // values below every threshold: the steady state of a healthy car
        double[] vals = {30, 70, 50, 2, 10, 50, 0, 0, 50};
        long t = 0;
        for (int k = 0; k < 200_000; k++) run(h, s, idx, vals, t += 1_000_000);
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int k = 0; k < 200_000; k++) run(h, s, idx, vals, t += 1_000_000);
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertEquals(0, allocated, "bytes allocated over 1.8 million samples");
    }

    private static void run(Harness h, Sample s, int[] idx, double[] vals, long t) {
        for (int k = 0; k < idx.length; k++) h.engine.evaluate(s.set(idx[k], vals[k] + (t % 7) * 0.01, t), ActionSink.NONE);
    }
}
