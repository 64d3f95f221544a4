package dev.vgate.command.exec;

import dev.vgate.command.verify.CommandCatalog.InvalidParamsException;
import dev.vgate.canbus.CanFrame;
import dev.vgate.dbc.DbcEncodeException;
import dev.vgate.dbc.FrameEncoder;
import dev.vgate.protocol.command.Command;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A CAN-level command (lock, unlock, horn, lights, climate): fills the mapped signal values from
 * constants and the command's parameters, encodes them with the DBC and sends the frame
 * {@code repeat} times, {@code periodMs} apart. Parameters are checked by encoding once in
 * {@link #validate}, so an out-of-range set-point is rejected before anything is recorded or sent.
 */
public final class CanCommandHandler implements CommandHandler {
    /** Waits between repeats (injected so tests do not sleep). */
    @FunctionalInterface
    public interface Pause { void pause(long ms) throws InterruptedException; }

    private final CanCommandMapping.Entry entry;
    private final FrameEncoder encoder;
    private final CommandFrameSink sink;
    private final Pause pause;
    private final CanFrame frame = new CanFrame();

    public CanCommandHandler(CanCommandMapping.Entry entry, FrameEncoder encoder, CommandFrameSink sink, Pause pause) {
        this.entry = entry;
        this.encoder = encoder;
        this.sink = sink;
        this.pause = pause;
    }

    @Override public void validate(Command command) throws InvalidParamsException {
        encode(command);
    }

    private byte[] encode(Command command) throws InvalidParamsException {
        Map<String, String> params = command.getParamsMap();
        Map<String, Object> values = new LinkedHashMap<>();
        int used = 0;
        for (Map.Entry<String, CanCommandMapping.Value> e : entry.signals().entrySet()) {
            CanCommandMapping.Value v = e.getValue();
            if (!v.isParam()) {
                values.put(e.getKey(), v.constant());
                continue;
            }
            String given = params.get(v.param());
            if (given != null) used++;
            else if (v.defaultValue() != null) given = v.defaultValue();
            else throw new InvalidParamsException(entry.type() + " needs parameter '" + v.param() + "'");
            values.put(e.getKey(), parse(given));
        }
        if (used < params.size()) {
            for (String k : params.keySet()) {
                boolean known = entry.signals().values().stream().anyMatch(v -> k.equals(v.param()));
                if (!known) throw new InvalidParamsException(entry.type() + " has no parameter '" + k + "'");
            }
        }
        try {
            return encoder.encode(entry.message(), values);
        } catch (DbcEncodeException e) {
            throw new InvalidParamsException(entry.type() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new InvalidParamsException(entry.type() + ": cannot encode " + entry.message().name() + ": " + e.getMessage());
        }
    }

    /** A parameter is a physical number when it reads as one, else a value-table label. */
    private static Object parse(String s) {
        try {
            return Double.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return s;
        }
    }

    @Override public Map<String, String> execute(Command command) throws CommandFailedException {
        byte[] data;
        try {
            data = encode(command);
        } catch (InvalidParamsException e) {
            throw new CommandFailedException("INVALID_PARAMS", e.getMessage());
        }
        frame.id(entry.message().frameId())
                .flags((entry.message().isExtended() ? CanFrame.FLAG_EXTENDED : 0) | (entry.message().isFd() ? CanFrame.FLAG_FD : 0))
                .data(data);
        try {
            for (int i = 0; i < entry.repeat(); i++) {
                if (i > 0 && entry.periodMs() > 0) pause.pause(entry.periodMs());
                sink.send(frame);
            }
        } catch (IOException e) {
            throw new CommandFailedException("CAN_SEND_FAILED", "sending " + entry.message().name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailedException("INTERRUPTED", "interrupted between repeats of " + entry.message().name());
        }
        return Map.of();
    }
}
