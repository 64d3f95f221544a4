package dev.vgate.buffer.pack;

import dev.vgate.buffer.TelemetryException;
import dev.vgate.buffer.collect.BusCollector;
import dev.vgate.buffer.collect.Collector;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CandumpFormat;
import dev.vgate.canbus.CandumpParseException;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DecodeStatus;
import dev.vgate.dbc.FrameDecoder;
import dev.vgate.input.BoundedLineReader;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Feeds a candump -L log through the DBC decoders into a {@link Collector}, frame by frame, exactly as the
 * daemon feeds live frames. {@link FrameListener#beforeFrame} runs before each decodable frame (the packer
 * uses it to move its clock and commit windows at recording time).
 */
public final class CandumpReplay {
    /** Called with each frame's timestamp (µs) before its signals are collected. */
    @FunctionalInterface
    public interface FrameListener {
        void beforeFrame(long timestampUs) throws TelemetryException;
    }

    /** Frames read, frames that produced samples, and frames skipped (unknown bus or id, wrong length). */
    public record Counts(long lines, long decoded, long skipped) {}

    private final BusDatabases databases;
    private final Collector collector;
    private final Map<String, Bus> buses = new HashMap<>();

    private record Bus(FrameDecoder decoder, BusCollector sink) {}

    public CandumpReplay(BusDatabases databases, Collector collector) {
        this.databases = databases;
        this.collector = collector;
    }

    public Counts run(BufferedReader in, String sourceName, FrameListener listener) throws TelemetryException {
        CanFrame frame = new CanFrame();
        long lines = 0, decoded = 0, skipped = 0;
        try {
            String line;
            while ((line = in.readLine()) != null) {
                lines++;
                if (line.isBlank()) continue;
                try {
                    CandumpFormat.parseLogLine(line, frame);
                } catch (CandumpParseException e) {
                    throw new TelemetryException(sourceName + ":" + lines + ": " + e.getMessage(), e);
                }
                if (frame.isError() || frame.isRemote()) {
                    skipped++;
                    continue;
                }
                Bus bus = bus(frame.iface());
                if (bus == null) {
                    skipped++;
                    continue;
                }
                long tUs = Math.floorDiv(frame.timestampNanos(), 1000L);
                listener.beforeFrame(tUs);
                bus.sink.frame(tUs);
                DecodeStatus st = bus.decoder.decode(frame.id(), frame.isExtended(), frame.data(), frame.length(), bus.sink);
                if (st == DecodeStatus.OK) decoded++;
                else skipped++;
            }
        } catch (BoundedLineReader.LineTooLongException e) {
            throw new TelemetryException(e.getMessage(), e); // already "SOURCE:LINE: ..."
        } catch (IOException e) {
            throw new TelemetryException("cannot read " + sourceName + " at line " + lines + ": " + e.getMessage(), e);
        }
        return new Counts(lines, decoded, skipped);
    }

    private Bus bus(String iface) {
        Bus b = buses.get(iface);
        if (b == null && !buses.containsKey(iface)) {
            DbcDatabase db = databases.forBus(iface);
            b = db == null ? null : new Bus(db.newDecoder(), collector.forBus(iface, db));
            buses.put(iface, b);
        }
        return b;
    }
}
