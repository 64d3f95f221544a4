package dev.vgate.agent.cli;

import dev.vgate.agent.cli.dbc.BusDecoder;
import dev.vgate.agent.cli.dbc.DbcBinding;
import dev.vgate.agent.cli.dbc.DecodeStats;
import dev.vgate.agent.cli.dbc.DecodedLineWriter;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CandumpFormat;
import dev.vgate.canbus.CandumpParseException;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DbcException;
import dev.vgate.dbc.DbcWarning;
import dev.vgate.dbc.DecodeStatus;
import dev.vgate.dbc.Message;
import dev.vgate.dbc.Signal;
import dev.vgate.input.BoundedLineReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vgate dbc decode|show}: decode candump logs with DBC files, and list what a DBC file holds. */
@Command(name = "dbc", mixinStandardHelpOptions = true,
        description = "Decode candump logs with DBC files, or show a DBC file.",
        subcommands = {DbcCommand.Decode.class, DbcCommand.Show.class})
public final class DbcCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "decode", mixinStandardHelpOptions = true,
            description = {"Decode a candump -L log (stdin, or LOG) and print one line per decoded frame.",
                    "Frames of unknown ids are counted, not printed; bad log lines are reported on stderr with their line number and skipped."})
    public static final class Decode implements Callable<Integer> {
        /** Bad lines reported one by one before only counting them. */
        private static final int MAX_REPORTED_BAD_LINES = 50;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Option(names = "--dbc", required = true, paramLabel = "[BUS=]FILE",
                description = "DBC file; repeat for several. BUS=FILE (e.g. can0=pcan.dbc) applies it to that bus only; "
                        + "a frame goes to its bus's DBCs first, then to the unbound ones, in the order given.")
        List<String> dbcs;

        @Option(names = "--json", description = "One JSON object per line: {\"t\":..,\"bus\":..,\"id\":..,\"message\":..,\"signals\":{..}} or {..,\"error\":..}.")
        boolean json;

        @Parameters(index = "0", arity = "0..1", paramLabel = "LOG", description = "candump -L log file (default: stdin).")
        Path log;

        /** Tests replace stdin here. */
        InputStream stdin = System.in;

        @Override public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            List<DbcBinding> bindings = new ArrayList<>();
            for (String d : dbcs) {
                DbcBinding b = DbcBinding.parse(d);
                for (DbcWarning w : b.db().warnings()) err.println(w);
                bindings.add(b);
            }
            err.flush();
            DecodeStats stats;
            // lines are bounded: one endless line (no newline) must not take the heap (docs/security.md#limits)
            try (InputStream in = log == null ? stdin : Files.newInputStream(log)) {
                stats = decode(BoundedLineReader.utf8(in, log == null ? "stdin" : log.toString(), BoundedLineReader.DEFAULT_MAX_LINE),
                        new BusDecoder(bindings), spec.commandLine().getOut(), err);
            }
            err.println("vgate dbc decode: " + stats.summary());
            err.flush();
            boolean nothingReadable = stats.badLines > 0 && stats.frames == 0;
            return nothingReadable ? 1 : 0;
        }

        DecodeStats decode(BufferedReader in, BusDecoder decoder, PrintWriter out, PrintWriter err) throws IOException {
            DecodeStats stats = new DecodeStats();
            DecodedLineWriter writer = new DecodedLineWriter(json);
            CanFrame frame = new CanFrame();
            StringBuilder sb = new StringBuilder(256);
            String line;
            try {
                while ((line = in.readLine()) != null) {
                    stats.lines++;
                    if (line.isBlank()) continue;
                    try {
                        CandumpFormat.parseLogLine(line, frame);
                    } catch (CandumpParseException e) {
                        if (++stats.badLines <= MAX_REPORTED_BAD_LINES) {
                            err.println("vgate dbc decode: line " + stats.lines + ": " + e.getMessage() + ": " + abbreviate(line));
                        } else if (stats.badLines == MAX_REPORTED_BAD_LINES + 1) {
                            err.println("vgate dbc decode: more bad lines; only counting them from here");
                        }
                        continue;
                    }
                    stats.frames++;
                    if (frame.isRemote() || frame.isError()) {
                        stats.skippedSpecial++;
                        continue;
                    }
                    writer.reset();
                    DecodeStatus st = decoder.decode(frame, writer);
                    sb.setLength(0);
                    switch (st) {
                        case OK -> {
                            stats.decoded++;
                            stats.signals += writer.count();
                            writer.appendDecoded(frame, decoder.last().lastMessage(), sb);
                        }
                        case UNKNOWN_ID -> {
                            stats.unknownId++;
                            stats.unknownIds.merge(frame.iface() + " 0x" + Integer.toHexString(frame.id()).toUpperCase(), 1L, Long::sum);
                            continue;
                        }
                        case WRONG_LENGTH -> {
                            stats.wrongLength++;
                            writer.appendError(frame, decoder.last().lastError(), sb);
                        }
                        case UNKNOWN_MULTIPLEXER -> {
                            stats.unknownMultiplexer++;
                            writer.appendError(frame, decoder.last().lastError(), sb);
                        }
                    }
                    out.append(sb).append('\n');
                }
            } finally { // what was decoded before a refused line is kept
                out.flush();
                err.flush();
            }
            return stats;
        }

        /** A bad line is input: escaped (no terminal escapes reach the screen) and cut. */
        private static String abbreviate(String line) {
            return dev.vgate.input.Untrusted.escape(line, 80);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "List the messages, signals and load warnings of a DBC file.")
    public static final class Show implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "DBC file.")
        Path file;

        @Override public Integer call() throws DbcException {
            DbcDatabase db = DbcDatabase.load(file);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%s: %d messages, %d signals, %d warnings%n", file, db.messages().size(), db.signals().size(), db.warnings().size());
            for (DbcWarning w : db.warnings()) out.println(w);
            for (Message m : db.messages()) {
                out.println();
                out.printf("%s %s: %d bytes%s%s%s%n", m.isExtended() ? String.format("0x%08X", m.frameId()) : String.format("0x%03X", m.frameId()),
                        m.name(), m.length(), m.isFd() ? ", CAN FD" : "", m.cycleTimeMs() > 0 ? ", every " + m.cycleTimeMs() + " ms" : "",
                        m.senders().isEmpty() ? "" : ", from " + String.join(",", m.senders()));
                for (Signal s : m.signals()) out.println("  " + describe(s));
            }
            out.flush();
            return 0;
        }

        static String describe(Signal s) {
            StringBuilder sb = new StringBuilder();
            sb.append(s.name());
            if (s.isMultiplexer()) sb.append(" [multiplexer]");
            if (!s.multiplexerIds().isEmpty()) sb.append(" [when ").append(idsText(s.multiplexerIds())).append(']');
            sb.append(": ").append(s.startBit()).append('|').append(s.length()).append('@')
                    .append(s.byteOrder() == Signal.ByteOrder.LITTLE_ENDIAN ? "1 (Intel)" : "0 (Motorola)")
                    .append(s.isSigned() ? " signed" : " unsigned");
            if (s.valueType() != Signal.ValueType.INTEGER) sb.append(' ').append(s.valueType().name().toLowerCase());
            sb.append(" x").append(num(s.factor())).append(s.offset() >= 0 ? " +" : " ").append(num(s.offset()));
            if (s.minimum() != 0 || s.maximum() != 0) sb.append(" [").append(num(s.minimum())).append(" .. ").append(num(s.maximum())).append(']');
            if (!s.unit().isEmpty()) sb.append(' ').append(s.unit());
            if (!s.choices().isEmpty()) {
                sb.append(" {");
                int k = 0;
                for (Map.Entry<Long, String> e : s.choices().entrySet()) {
                    if (k++ > 0) sb.append(", ");
                    if (k > 8) { sb.append("... ").append(s.choices().size() - 8).append(" more"); break; }
                    sb.append(e.getKey()).append('=').append(e.getValue());
                }
                sb.append('}');
            }
            return sb.toString();
        }

        private static String idsText(List<Long> ids) {
            if (ids.size() <= 6) return ids.toString().replaceAll("[\\[\\]]", "");
            return ids.get(0) + ".." + ids.get(ids.size() - 1) + " (" + ids.size() + " values)";
        }

        private static String num(double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
        }
    }
}
