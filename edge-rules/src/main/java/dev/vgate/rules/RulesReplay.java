package dev.vgate.rules;

import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CandumpFormat;
import dev.vgate.canbus.CandumpParseException;
import dev.vgate.dbc.DecodeStatus;
import dev.vgate.dbc.FrameDecoder;
import org.tinylog.Logger;

import java.io.BufferedReader;
import java.io.IOException;
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

    public RulesReplay(RuleSet rules, FrameDecoder decoder) {
        this.rules = rules;
        this.decoder = decoder;
    }

    public record Summary(long lines, long frames, long decoded, long badLines, long events) {}

    public Summary run(BufferedReader in, Consumer<String> out) throws IOException {
        RuleEngine engine = new RuleEngine(rules);
        ReplayEventWriter writer = new ReplayEventWriter(out);
        FrameEvaluator evaluator = new FrameEvaluator(engine, decoder, writer);
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
            if (evaluator.onFrame(f) == DecodeStatus.OK) decoded++;
        }
        if (bad > MAX_REPORTED_BAD_LINES) Logger.warn("{} more bad lines skipped", bad - MAX_REPORTED_BAD_LINES);
        return new Summary(lines, frames, decoded, bad, writer.events());
    }
}
