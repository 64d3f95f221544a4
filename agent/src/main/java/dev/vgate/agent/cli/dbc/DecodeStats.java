package dev.vgate.agent.cli.dbc;

import java.util.TreeMap;

/** Counts of one decode run, for the summary on stderr. */
public final class DecodeStats {
    public long lines;
    public long frames;
    public long decoded;
    public long signals;
    public long unknownId;
    public long wrongLength;
    public long unknownMultiplexer;
    public long badLines;
    public long skippedSpecial;
    /** Unknown ids by "bus id" with their frame counts. */
    public final TreeMap<String, Long> unknownIds = new TreeMap<>();

    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(frames).append(" frames: ").append(decoded).append(" decoded (").append(signals).append(" signal values), ")
                .append(unknownId).append(" of unknown ids (").append(unknownIds.size()).append(" distinct), ")
                .append(wrongLength).append(" wrong length, ").append(unknownMultiplexer).append(" unknown multiplexer");
        if (skippedSpecial > 0) sb.append(", ").append(skippedSpecial).append(" RTR/error frames skipped");
        sb.append("; ").append(badLines).append(" bad log lines of ").append(lines);
        return sb.toString();
    }
}
