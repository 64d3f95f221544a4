package dev.vgate.dbc;

import java.nio.file.Path;
import java.util.List;

/**
 * A loaded, validated, immutable DBC database. (API outline: the DBC issue fills in the engine.)
 */
public final class DbcDatabase {
    /** Loads a DBC file; warnings (overlaps, bits past the frame, unknown keywords) are in {@link #warnings()}. */
    public static DbcDatabase load(Path file) throws DbcException { throw new UnsupportedOperationException("DBC engine not built yet"); }

    public static DbcDatabase parse(String text, String sourceName) throws DbcException { throw new UnsupportedOperationException("DBC engine not built yet"); }

    public List<Message> messages() { throw new UnsupportedOperationException(); }

    /** The message with this frame id, or null. {@code extended} tells 29-bit from 11-bit ids. */
    public Message message(int frameId, boolean extended) { throw new UnsupportedOperationException(); }

    public Message messageByName(String name) { throw new UnsupportedOperationException(); }

    /** All signals, indexed by {@link Signal#index()}. */
    public List<Signal> signals() { throw new UnsupportedOperationException(); }

    /** A signal by name ("Signal" when unique in the database, or "Message.Signal"); null if none. */
    public Signal signal(String name) { throw new UnsupportedOperationException(); }

    public List<DbcWarning> warnings() { throw new UnsupportedOperationException(); }

    /** A decoder for this database (not thread-safe; one per thread). */
    public FrameDecoder newDecoder() { throw new UnsupportedOperationException(); }

    public FrameEncoder encoder() { throw new UnsupportedOperationException(); }
}
