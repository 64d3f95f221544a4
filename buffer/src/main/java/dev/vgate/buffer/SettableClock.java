package dev.vgate.buffer;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock whose time is set by its owner: recording time when replaying a log, test time in tests. */
public final class SettableClock extends Clock {
    private volatile long millis;

    public SettableClock(long millis) { this.millis = millis; }

    public void set(long millis) { this.millis = millis; }

    public void advance(long deltaMs) { this.millis += deltaMs; }

    @Override public long millis() { return millis; }

    @Override public Instant instant() { return Instant.ofEpochMilli(millis); }

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override public Clock withZone(ZoneId zone) { return this; }
}
