package dev.vgate.command.testing;

import org.tinylog.core.LogEntry;
import org.tinylog.core.LogEntryValue;
import org.tinylog.writers.Writer;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A tinylog writer for tests that keeps the last log lines in memory ("LEVEL SimpleClass: message"), so a
 * test can check what was logged. Configured as writer2 in tinylog-test.properties (warnings and up).
 */
public final class CapturingLogWriter implements Writer {
    private static final int KEEP = 20_000;
    private static final ConcurrentLinkedDeque<String> LINES = new ConcurrentLinkedDeque<>();

    public CapturingLogWriter(Map<String, String> properties) {}

    /** The lines captured so far, oldest first. */
    public static List<String> lines() { return List.copyOf(LINES); }

    @Override public Collection<LogEntryValue> getRequiredLogEntryValues() {
        return EnumSet.of(LogEntryValue.LEVEL, LogEntryValue.CLASS, LogEntryValue.MESSAGE);
    }

    @Override public void write(LogEntry e) {
        String cls = e.getClassName() == null ? "" : e.getClassName().substring(e.getClassName().lastIndexOf('.') + 1);
        LINES.add(e.getLevel() + " " + cls + ": " + e.getMessage());
        while (LINES.size() > KEEP) LINES.pollFirst();
    }

    @Override public void flush() {}

    @Override public void close() {}
}
