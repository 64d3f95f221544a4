package dev.vgate.agent.daemon;

import dev.vgate.command.exec.CommandFailedException;
import dev.vgate.command.exec.ConfigUpdateSink;
import dev.vgate.ota.boot.AtomicFiles;
import org.tinylog.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Live configuration updates from signed commands ({@code rules}, {@code collection-policy}, {@code dbc-set}):
 * the one path each update takes. An update names its {@code version}, which must be above the active one
 * (monotonic per kind; an older or repeated version is refused). It is then validated completely by the part
 * that owns it ({@link Applier#validate}: against the running buses) — a refusal changes nothing — written to
 * the state directory (fsynced, then made active by an atomic rename, so a power cut leaves either the old or the
 * new version, both good), and activated ({@link Applier#activate}: swapped between two frames). The daemon boots
 * the last activated version of each kind ({@link #persisted}) instead of the configuration's file.
 *
 * <p>Files: {@code STATE_DIR/live-config/KIND.vN} (the body as received) and {@code KIND.active} (the active
 * version number); the previous version's body is removed once the new one is active.
 */
public final class LiveConfig implements ConfigUpdateSink {
    /** What a part of the daemon does with one kind of update. */
    public interface Applier<T> {
        /** Checks everything; throws {@link Invalid} with every problem found. Must not change the running daemon. */
        T validate(byte[] body, String source) throws Invalid;

        /** Makes the validated update active (between two frames). */
        void activate(T prepared);
    }

    /** A refused update: the reasons, one line each. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        public Invalid(String message) { super(message); }
    }

    /** The persisted, active version of one kind. */
    public record Persisted(long version, byte[] body, Path file) {}

    private final Path dir;
    private final Clock clock;
    private final Map<Kind, Applier<?>> appliers = new EnumMap<>(Kind.class);
    private final Map<Kind, Long> versions = new EnumMap<>(Kind.class);
    private final Map<Kind, String> activatedAt = new EnumMap<>(Kind.class);
    private final Map<Kind, String> sources = new EnumMap<>(Kind.class);

    public LiveConfig(Path stateDir, Clock clock) {
        this.dir = stateDir.resolve("live-config");
        this.clock = clock;
        for (Kind k : Kind.values()) {
            Persisted p = persisted(k);
            versions.put(k, p == null ? 0L : p.version());
            sources.put(k, p == null ? "configuration" : "update");
        }
    }

    /** Registers the part that validates and activates {@code kind} (until then such updates are NOT_SUPPORTED). */
    public synchronized <T> void register(Kind kind, Applier<T> applier) { appliers.put(kind, applier); }

    /** The active version of {@code kind}, or 0 when it is the configuration's own file. */
    public synchronized long version(Kind kind) { return versions.get(kind); }

    /** Marks that {@code kind} booted from the configuration after all (its persisted version failed to load). */
    public synchronized void bootedFromConfiguration(Kind kind, String why) {
        Logger.error("live {} update v{} does not load any more ({}); running the configuration's version", name(kind), versions.get(kind), why);
        sources.put(kind, "configuration (v" + versions.get(kind) + " failed to load: " + why + ")");
    }

    /** The last activated update of {@code kind}, or null when none was ever applied (or it cannot be read). */
    public Persisted persisted(Kind kind) {
        Path pointer = dir.resolve(name(kind) + ".active");
        try {
            long v = Long.parseLong(Files.readString(pointer, StandardCharsets.US_ASCII).trim());
            Path body = dir.resolve(name(kind) + ".v" + v);
            return new Persisted(v, Files.readAllBytes(body), body);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | NumberFormatException e) {
            Logger.error("live {} update state in {} unreadable ({}); using the configuration's version", name(kind), dir, e.getMessage());
            return null;
        }
    }

    @Override public void apply(Kind kind, byte[] payload) throws CommandFailedException {
        apply(kind, payload, Map.of());
    }

    @Override public synchronized Map<String, String> apply(Kind kind, byte[] body, Map<String, String> params) throws CommandFailedException {
        String v = params.get("version");
        if (v == null) throw new CommandFailedException("VERSION_REQUIRED", name(kind) + " updates carry a 'version' parameter above the active one (" + versions.get(kind) + ")");
        long version = Long.parseLong(v); // the handler checked it is a positive integer
        long active = versions.get(kind);
        if (version <= active) {
            throw new CommandFailedException("STALE_VERSION", name(kind) + " version " + version + " is not above the active version " + active);
        }
        @SuppressWarnings("unchecked") Applier<Object> a = (Applier<Object>) appliers.get(kind);
        if (a == null) throw new CommandFailedException("NOT_SUPPORTED", "this vgate does not run " + name(kind) + " (nothing to update)");
        Object prepared;
        try {
            prepared = a.validate(body, name(kind) + " v" + version);
        } catch (Invalid e) {
            Logger.warn("{} update v{} refused, v{} stays active: {}", name(kind), version, active, e.getMessage());
            throw new CommandFailedException("INVALID", e.getMessage());
        } catch (RuntimeException e) {
            Logger.error(e, "{} update v{}: validation failed", name(kind), version);
            throw new CommandFailedException("INVALID", e.toString());
        }
        try {
            persist(kind, version, body);
        } catch (IOException e) {
            throw new CommandFailedException("PERSIST_FAILED", "cannot store " + name(kind) + " v" + version + " in " + dir + ": " + e.getMessage());
        }
        a.activate(prepared);
        versions.put(kind, version);
        sources.put(kind, "update");
        activatedAt.put(kind, clock.instant().toString());
        Logger.info("{} v{} active (was v{})", name(kind), version, active);
        return Map.of("version", Long.toString(version));
    }

    private void persist(Kind kind, long version, byte[] body) throws IOException {
        Files.createDirectories(dir);
        String n = name(kind);
        Persisted old = persisted(kind);
        AtomicFiles.replace(dir.resolve(n + ".v" + version), body);
        AtomicFiles.replace(dir.resolve(n + ".active"), (version + "\n").getBytes(StandardCharsets.US_ASCII)); // the switch
        if (old != null && old.version() != version) Files.deleteIfExists(old.file());
    }

    /** For {@code vgate status}: per kind, the active version and where it came from. */
    public synchronized Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("version", versions.get(k));
            e.put("source", sources.get(k));
            if (activatedAt.containsKey(k)) e.put("activated_at", activatedAt.get(k));
            e.put("updatable", appliers.containsKey(k));
            m.put(name(k).replace('-', '_'), e);
        }
        return m;
    }

    static String name(Kind kind) { return kind.name().toLowerCase(Locale.ROOT).replace('_', '-'); }
}
