package dev.vgate.diag.isotp;

import dev.vgate.canbus.CanChannel;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CandumpFormat;
import dev.vgate.canbus.VirtualBus;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A raw CAN node on a virtual bus for tests: sends frames written as cansend text, records what it sees. */
final class Frames implements AutoCloseable {
    final CanChannel channel;
    final BlockingQueue<CanFrame> seen = new LinkedBlockingQueue<>();

    Frames(VirtualBus bus) throws Exception {
        channel = bus.newChannel();
        channel.start(f -> seen.add(f.copy()));
    }

    void send(String... cansend) throws Exception {
        for (String s : cansend) channel.send(CandumpFormat.parseFrame(s, new CanFrame()));
    }

    /** The next frame seen, as cansend text, or null after {@code ms}. */
    String next(long ms) throws InterruptedException {
        CanFrame f = seen.poll(ms, TimeUnit.MILLISECONDS);
        return f == null ? null : CandumpFormat.appendFrame(f, new StringBuilder()).toString();
    }

    @Override public void close() { channel.close(); }
}
