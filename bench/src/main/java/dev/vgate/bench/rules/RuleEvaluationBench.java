package dev.vgate.bench.rules;

import dev.vgate.canbus.CanFrame;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DecodeStatus;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.dbc.FrameDecoder;
import dev.vgate.dbc.SignalSink;
import dev.vgate.rules.ActionDispatcher;
import dev.vgate.rules.AlertSink;
import dev.vgate.rules.CollectionControl;
import dev.vgate.rules.FaultCodes;
import dev.vgate.rules.FrameEvaluator;
import dev.vgate.rules.RuleDbc;
import dev.vgate.rules.RuleEngine;
import dev.vgate.rules.RuleSet;
import dev.vgate.rules.Sample;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Cost of the rules on the receive path with the default rule set over the demo DBC:
 * {@code evaluateSample} is one decoded sample through {@link RuleEngine#evaluate}; {@code decodeAndEvaluate}
 * is one frame decoded and all its signals evaluated; {@code decodeOnly} is the same decoding into a sink
 * that does nothing (the baseline the rules add to). Run with {@code -prof gc} to see allocation per op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Thread)
public class RuleEvaluationBench {
    private RuleEngine engine;
    private FrameEvaluator evaluator;
    private FrameDecoder decoder;
    private DemoTraffic traffic;
    private final Sample sample = new Sample().iface("vcan0");
    private int[] signals;
    private double[] values;
    private int nextSignal;
    private long clock = 1_700_000_000_000_000_000L;
    private SignalSink nothing;

    @Setup public void setUp() throws Exception {
        DbcDatabase db = DemoDbc.load();
        RuleSet rules = RuleSet.defaults(RuleDbc.of(db));
        engine = new RuleEngine(rules);
        ActionDispatcher dispatcher = new ActionDispatcher(f -> {}, (task, delay) -> {}, AlertSink.NONE, new FaultCodes(), CollectionControl.NONE);
        evaluator = new FrameEvaluator(new RuleEngine(rules), db.newDecoder(), dispatcher);
        decoder = db.newDecoder();
        traffic = new DemoTraffic(1);
        String[] names = {"BMS_Temp", "CoolantTemp", "SoC", "ChargeState", "ChargePower", "ChargeEnergy", "VehicleSpeed", "LongAccel", "BrakePressure", "MotorSpeed"};
        double[] vals = {31, 60, 50, 0, 0, 10, 60, -0.3, 5, 3000};
        signals = new int[names.length];
        for (int k = 0; k < names.length; k++) signals[k] = db.signal(names[k]).index();
        values = vals;
    }

    @Benchmark public void evaluateSample() {
        int k = nextSignal;
        nextSignal = k + 1 == signals.length ? 0 : k + 1;
        clock += 100_000; // 10,000 samples/s
        engine.evaluate(sample.set(signals[k], values[k] + (clock & 7) * 0.01, clock), dev.vgate.rules.ActionSink.NONE);
    }

    @Benchmark public DecodeStatus decodeAndEvaluate() {
        CanFrame f = traffic.next();
        clock += 100_000;
        f.timestampNanos(clock);
        return evaluator.onFrame(f);
    }

    @Benchmark public DecodeStatus decodeOnly(Blackhole bh) {
        if (nothing == null) nothing = (s, raw, v) -> bh.consume(v);
        CanFrame f = traffic.next();
        return decoder.decode(f.id(), f.isExtended(), f.data(), f.length(), nothing);
    }
}
