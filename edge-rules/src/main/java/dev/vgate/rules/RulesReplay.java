package dev.vgate.rules;

import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CandumpFormat;
import dev.vgate.canbus.CandumpParseException;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DecodeStatus;
import dev.vgate.dbc.FrameDecoder;
import dev.vgate.dbc.Signal;
import dev.vgate.dbc.SignalSink;
import org.tinylog.Logger;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a candump -L recording through a rule set with the recording's timestamps, as the engine would
 * see it live, writing one JSON line per rule event. Lines that do not parse are reported (line number and
 * reason) and skipped; everything else is still replayed.
 */
public final class RulesReplay {
    private static final int MAX_REPORTED_BAD_LINES = 20;

    private final RuleSet rules;
    private final FrameDecoder decoder;
    private final Map<String, List<DbcDatabase>> busDbcs; // null: one DBC for every interface

    public RulesReplay(RuleSet rules, FrameDecoder decoder) {
        this.rules = rules;
        this.decoder = decoder;
        this.busDbcs = null;
    }

    /**
     * Several buses, as the daemon runs them: {@code rules} loaded against {@code MultiBusDbc.of(busDbcs)}; a
     * frame is decoded by the DBCs of the bus named by its interface (the candump line's {@code can0}), the
     * first DBC that knows its id. Frames of other interfaces only count as bus activity.
     */
    public RulesReplay(RuleSet rules, Map<String, List<DbcDatabase>> busDbcs) {
        if (!(rules.dbc() instanceof MultiBusDbc)) throw new IllegalArgumentException("a multi-bus replay needs rules loaded against a MultiBusDbc");
        this.rules = rules;
        this.decoder = null;
        this.busDbcs = Map.copyOf(busDbcs);
    }

    public record Summary(long lines, long frames, long decoded, long badLines, long events) {}

    public Summary run(BufferedReader in, Consumer<String> out) throws IOException {
        RuleEngine engine = new RuleEngine(rules);
        ReplayEventWriter writer = new ReplayEventWriter(out);
        FrameEvaluator evaluator = new FrameEvaluator(engine, decoder, writer);
        MultiBusDecoder multi = busDbcs == null ? null : new MultiBusDecoder((MultiBusDbc) rules.dbc(), busDbcs, evaluator);
        CanFrame f = new CanFrame();
        long lines = 0, frames = 0, decoded = 0, bad = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lines++;
            if (line.isBlank() || line.startsWith("#")) continue;
            try {
                CandumpFormat.parseLogLine(line.trim(), f);
            } catch (CandumpParseException e) {
                if (++bad <= MAX_REPORTED_BAD_LINES) Logger.warn("line {}: skipped, not a candump -L line: {}", lines, e.getMessage());
                continue;
            }
            frames++;
            if ((multi != null ? multi.onFrame(f) : evaluator.onFrame(f)) == DecodeStatus.OK) decoded++;
        }
        if (bad > MAX_REPORTED_BAD_LINES) Logger.warn("{} more bad lines skipped", bad - MAX_REPORTED_BAD_LINES);
        return new Summary(lines, frames, decoded, bad, writer.events());
    }

    /** Decodes each frame with its bus's DBCs and hands its samples, moved to the bus's index range, to the rules. */
    private static final class MultiBusDecoder implements SignalSink {
        private record Decoding(FrameDecoder decoder, int offset) {}

        private final Map<String, Decoding[]> byIface = new HashMap<>();
        private final FrameEvaluator evaluator;
        private final int[] index = new int[4096];
        private final double[] value = new double[4096];
        private int held, offset;

        MultiBusDecoder(MultiBusDbc dbc, Map<String, List<DbcDatabase>> busDbcs, FrameEvaluator evaluator) {
            this.evaluator = evaluator;
            for (Map.Entry<String, List<DbcDatabase>> e : busDbcs.entrySet()) {
                Decoding[] ds = new Decoding[e.getValue().size()];
                for (int k = 0; k < ds.length; k++) ds[k] = new Decoding(e.getValue().get(k).newDecoder(), dbc.offset(e.getKey(), e.getValue().get(k)));
                byIface.put(e.getKey(), ds);
            }
        }

        DecodeStatus onFrame(CanFrame f) {
            Decoding[] ds = byIface.get(f.iface());
            DecodeStatus st = DecodeStatus.UNKNOWN_ID;
            held = 0;
            if (ds != null && !f.isError() && !f.isRemote()) {
                for (Decoding d : ds) {
                    offset = d.offset();
                    st = d.decoder().decode(f.id(), f.isExtended(), f.data(), f.length(), this);
                    if (st != DecodeStatus.UNKNOWN_ID) break;
                }
            }
            if (held > 0) evaluator.evaluate(f.iface(), f.timestampNanos(), index, value, held);
            else evaluator.frameSeen(f.timestampNanos(), f.iface());
            return st;
        }

        @Override public void signal(Signal s, long raw, double v) {
            if (held == index.length) return; // more signals than any frame carries (64-byte FD frames have far fewer)
            index[held] = offset + s.index();
            value[held++] = v;
        }
    }
}
