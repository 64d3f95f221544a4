package dev.vgate.rules;

import dev.vgate.canbus.CandumpFormat;
import dev.vgate.canbus.CanFrame;

import java.util.List;
import java.util.function.Consumer;

/**
 * An {@link ActionSink} for replays: one JSON line per event,
 * {@code {"t":1700000000.2,"rule":"battery-overtemp-cutoff","event":"fired","frames":["(1700000000.200000) can0 301#01",...]}},
 * the frames being the event's encoded CAN actions as candump lines at the times they would be sent
 * (the recording's clock; repeats {@code period} apart).
 */
public final class ReplayEventWriter implements ActionSink {
    private final Consumer<String> out;
    private final CanFrame frame = new CanFrame();
    private long events;

    public ReplayEventWriter(Consumer<String> out) { this.out = out; }

    @Override public void fired(Rule rule, long at, String iface, SignalValues values) {
        write(rule, "fired", rule.actions(), at, iface);
    }

    @Override public void cleared(Rule rule, long at, String iface, SignalValues values) {
        write(rule, "cleared", rule.clearActions(), at, iface);
    }

    private void write(Rule rule, String event, List<Action> actions, long at, String iface) {
        StringBuilder sb = new StringBuilder(128);
        sb.append("{\"t\":");
        appendSeconds(sb, at);
        sb.append(",\"rule\":");
        JsonString.append(sb, rule.name());
        sb.append(",\"event\":\"").append(event).append("\",\"frames\":[");
        boolean first = true;
        for (Action a : actions) {
            if (!(a instanceof Action.SendCan c)) continue;
            for (int k = 0; k < c.repeat(); k++) {
                if (!first) sb.append(',');
                first = false;
                c.fill(frame).timestampNanos(at + k * c.periodNanos()).iface(c.bus() != null ? c.bus() : iface); // the bus whose DBC has the message
                JsonString.append(sb, CandumpFormat.format(frame));
            }
        }
        sb.append("]}");
        events++;
        out.accept(sb.toString());
    }

    public long events() { return events; }

    /** Seconds with up to microsecond precision and no trailing zeros: 1700000000.2, -0.36421 */
    static void appendSeconds(StringBuilder sb, long nanos) {
        CandumpFormat.appendSeconds(nanos, sb); // "-0.364210" for a clock before 1970, as the log gave it
        int end = sb.length();
        while (sb.charAt(end - 1) == '0' && sb.charAt(end - 2) != '.') end--;
        sb.setLength(end);
    }
}
