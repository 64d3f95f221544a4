package dev.vgate.agent.cli;

import dev.vgate.agent.cli.dbc.DecodedLineWriter;
import dev.vgate.canbus.CanChannel;
import dev.vgate.canbus.CanEventListener;
import dev.vgate.canbus.CanException;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CandumpFormat;
import dev.vgate.canbus.CandumpParseException;
import dev.vgate.canbus.CandumpReader;
import dev.vgate.canbus.LogReplayer;
import dev.vgate.canbus.SocketCanChannel;
import dev.vgate.canbus.SocketCanConfig;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DecodeStatus;
import dev.vgate.dbc.FrameDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code vgate can ...}: what a CAN engineer reaches for first, in can-utils' formats. */
@Command(name = "can", description = "Read and write CAN interfaces (SocketCAN) in can-utils' formats.",
        mixinStandardHelpOptions = true,
        subcommands = {CanCommand.Dump.class, CanCommand.Send.class, CanCommand.Replay.class})
public final class CanCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    @Command(name = "dump", mixinStandardHelpOptions = true,
            description = {"Print received frames as candump -L lines, one flushed line per frame.",
                    "Writes '# listening on IFACE' to stderr once the socket is bound."})
    static final class Dump implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "IFACE", description = "CAN interface, e.g. can0 or vcan0") String iface;
        @Option(names = "--count", paramLabel = "N", description = "exit after N frames") Long count;
        @Option(names = "--dbc", paramLabel = "FILE", description = "decode the frames with this DBC; signals follow the frame") Path dbc;

        @Override public Integer call() throws Exception {
            if (count != null && count < 1) throw new CanException("--count must be at least 1, got " + count);
            FrameDecoder decoder = dbc == null ? null : DbcDatabase.load(dbc).newDecoder();
            PrintStream out = System.out;
            long limit = count == null ? Long.MAX_VALUE : count;
            CountDownLatch done = new CountDownLatch(1);
            LineFormatter lines = new LineFormatter(decoder);
            long[] seen = {0};
            try (CanChannel ch = SocketCanChannel.open(iface, SocketCanConfig.defaults())) {
                Runtime.getRuntime().addShutdownHook(new Thread(ch::close, "can-dump-shutdown"));
                ch.start(frame -> {
                    if (seen[0] >= limit) return;
                    out.append(lines.format(frame)).append('\n');
                    out.flush();
                    if (++seen[0] >= limit) done.countDown();
                }, CanEventListener.LOG);
                System.err.println("# listening on " + iface);
                System.err.flush();
                done.await();
            }
            return out.checkError() ? 1 : 0;
        }
    }

    /** One frame as a candump -L line; with a DBC, followed by its signals in {@code vgate dbc decode}'s text layout. */
    static final class LineFormatter {
        private final FrameDecoder decoder;
        private final DecodedLineWriter signals = new DecodedLineWriter(false);
        private final StringBuilder sb = new StringBuilder(256);

        LineFormatter(FrameDecoder decoder) { this.decoder = decoder; }

        CharSequence format(CanFrame f) {
            sb.setLength(0);
            if (decoder == null || f.isRemote()) return CandumpFormat.appendLogLine(f, sb);
            signals.reset();
            DecodeStatus st = decoder.decode(f.id(), f.isExtended(), f.data(), f.length(), signals);
            switch (st) {
                case OK: return signals.appendDecoded(f, decoder.lastMessage(), sb);
                case UNKNOWN_ID: return CandumpFormat.appendLogLine(f, sb);
                default: return signals.appendError(f, decoder.lastError(), sb);
            }
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = "Send frames written in cansend syntax: 123#DEADBEEF, 1ABCDEF0#01, 7FF##1AABB (CAN FD), 123#R.")
    static final class Send implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "IFACE") String iface;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "FRAME") List<String> frames;

        @Override public Integer call() throws Exception {
            List<CanFrame> parsed = new ArrayList<>();
            for (String s : frames) {
                try {
                    parsed.add(CandumpFormat.parseFrame(s, new CanFrame()));
                } catch (CandumpParseException e) {
                    throw new CanException("bad frame '" + s + "': " + e.getMessage());
                }
            }
            try (CanChannel ch = SocketCanChannel.open(iface, SocketCanConfig.defaults())) {
                for (CanFrame f : parsed) ch.send(f);
            }
            return 0;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Send the frames of a candump -L log onto an interface, at the recorded pace unless --fast.")
    static final class Replay implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "LOG") Path log;
        @Parameters(index = "1", paramLabel = "IFACE") String iface;
        @Option(names = "--fast", description = "as fast as possible") boolean fast;
        @Option(names = "--speed", paramLabel = "X", description = "X times the recorded pace (default 1)") double speed = 1;
        @Option(names = "--only", paramLabel = "LOGIFACE", description = "replay only the frames the log recorded on this interface") String only;

        @Override public Integer call() throws Exception {
            if (speed <= 0) throw new CanException("--speed must be above 0, got " + speed);
            try (CandumpReader reader = CandumpReader.open(log, CandumpReader.BadLineListener.LOG);
                 CanChannel ch = SocketCanChannel.open(iface, SocketCanConfig.defaults())) {
                LogReplayer.Result r = new LogReplayer().replay(reader, ch, only, fast ? 0 : speed);
                System.err.println("replayed " + r.framesSent() + " frames onto " + iface + (r.badLines() > 0 ? ", skipped " + r.badLines() + " bad lines" : ""));
            }
            return 0;
        }
    }
}
