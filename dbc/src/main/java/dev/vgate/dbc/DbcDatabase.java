package dev.vgate.dbc;

import dev.vgate.input.BoundedFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded, validated, immutable DBC database: parse (syntax) → {@link DbcFile} (neutral model) →
 * compile (checks, layouts, multiplexing). Quirks of real files are in {@link #warnings()}.
 */
public final class DbcDatabase {
    private static final Object AMBIGUOUS = new Object();

    private final String source;
    private final String version;
    private final List<String> nodes;
    private final List<Message> messages;
    private final List<Signal> signals;
    private final List<DbcWarning> warnings;
    /** Standard ids: direct lookup; extended ids: an open-addressing map. Later duplicates win, as in cantools. */
    private final CompiledMessage[] standard = new CompiledMessage[2048];
    private final IntMessageMap extended = new IntMessageMap();
    private final Map<String, CompiledMessage> byName = new HashMap<>();
    private final Map<String, Object> signalsByName = new HashMap<>();

    DbcDatabase(String source, String version, List<String> nodes, List<CompiledMessage> messages,
                List<CompiledSignal> signals, List<DbcWarning> warnings) {
        this.source = source;
        this.version = version;
        this.nodes = List.copyOf(nodes);
        this.messages = List.copyOf(messages);
        this.signals = List.copyOf(signals);
        this.warnings = List.copyOf(warnings);
        for (CompiledMessage m : messages) {
            if (m.isExtended()) extended.put(m.frameId(), m);
            else standard[m.frameId()] = m;
            byName.putIfAbsent(m.name(), m);
            for (Signal s : m.signals()) {
                signalsByName.merge(s.name(), s, (a, b) -> AMBIGUOUS);
                signalsByName.putIfAbsent(m.name() + "." + s.name(), s);
            }
        }
    }

    /** Largest DBC file read: five times the largest real one seen (800 KB); docs/security.md#limits. */
    public static final int MAX_FILE_BYTES = 4 << 20;

    /** Loads a DBC file (UTF-8, or Windows-1252 when it is not valid UTF-8). */
    public static DbcDatabase load(Path file) throws DbcException {
        byte[] bytes;
        try {
            bytes = BoundedFiles.read(file, MAX_FILE_BYTES);
        } catch (IOException e) {
            throw new DbcException("cannot read DBC file " + file + ": " + e.getMessage(), e);
        }
        return parse(DbcText.decode(bytes), file.toString());
    }

    /** Loads a DBC from a stream (e.g. a classpath resource), named {@code sourceName} in messages. */
    public static DbcDatabase load(InputStream in, String sourceName) throws DbcException {
        try {
            return parse(DbcText.decode(BoundedFiles.read(in, MAX_FILE_BYTES, sourceName)), sourceName);
        } catch (IOException e) {
            throw new DbcException("cannot read DBC " + sourceName + ": " + e.getMessage(), e);
        }
    }

    public static DbcDatabase parse(String text, String sourceName) throws DbcException {
        // an empty file is a wrong path or a truncated copy, not a bus without messages
        if (text.isBlank()) throw new DbcException(sourceName + ": the DBC file is empty");
        return DbcCompiler.compile(DbcParser.parse(text, sourceName));
    }

    /** Where this database came from (file path or resource name). */
    public String source() { return source; }

    public String version() { return version; }

    public List<String> nodes() { return nodes; }

    public List<Message> messages() { return messages; }

    /** The message with this frame id, or null. {@code extended} tells 29-bit from 11-bit ids. */
    public Message message(int frameId, boolean extended) {
        return lookup(frameId, extended);
    }

    CompiledMessage lookup(int frameId, boolean isExtended) {
        if (!isExtended) return frameId >= 0 && frameId < 2048 ? standard[frameId] : null;
        return extended.get(frameId);
    }

    public Message messageByName(String name) { return byName.get(name); }

    /** All signals, indexed by {@link Signal#index()}. */
    public List<Signal> signals() { return signals; }

    /** A signal by name ("Signal" when unique in the database, or "Message.Signal"); null if none. */
    public Signal signal(String name) {
        Object s = signalsByName.get(name);
        return s instanceof Signal sig ? sig : null;
    }

    public List<DbcWarning> warnings() { return warnings; }

    /** A decoder for this database (not thread-safe; one per thread). */
    public FrameDecoder newDecoder() { return new CompiledDecoder(this, maxSignalsPerMessage()); }

    public FrameEncoder encoder() { return new CompiledEncoder(); }

    private int maxSignalsPerMessage() {
        int max = 0;
        for (Message m : messages) max = Math.max(max, m.signals().size());
        return max;
    }

    @Override public String toString() {
        return "DbcDatabase[" + source + ", " + messages.size() + " messages, " + signals.size() + " signals]";
    }

}
