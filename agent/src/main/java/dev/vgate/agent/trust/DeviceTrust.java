package dev.vgate.agent.trust;

import dev.vgate.agent.config.VgateConfig;
import dev.vgate.command.state.CommandStateDb;
import dev.vgate.command.state.CommandStateException;
import dev.vgate.trust.KeySetFile;
import dev.vgate.trust.KeySetPersistence;
import dev.vgate.trust.KeySetState;
import dev.vgate.trust.TrustException;
import dev.vgate.trust.TrustFile;
import dev.vgate.trust.TrustStore;
import org.tinylog.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The device's one trust store as {@code vgate run} (and {@code vgate config check}) build it: the trust file
 * ({@code commands.trust}, or {@code ota.trust} when commands are off; one file serves both), with rotations
 * persisted in {@code state_dir/keyset.pb}. The daemon hands the same store to the command listener and to
 * the OTA client, so a key-set-update takes effect for the next command and the next manifest alike.
 */
public final class DeviceTrust {
    private DeviceTrust() {}

    /** The configured trust file, or empty when neither commands nor OTA are configured. */
    public static Optional<Path> file(VgateConfig c) {
        if (c.commands() != null && c.commands().trust() != null) return Optional.of(c.commands().trust());
        if (c.ota() != null && c.ota().trust() != null) return Optional.of(c.ota().trust());
        return Optional.empty();
    }

    /** How far the device clock may be off a signer's: commands.clock_skew, also for manifest expiry. */
    public static java.time.Duration clockSkew(VgateConfig c) {
        return c.commands() != null && c.commands().clockSkew() != null ? c.commands().clockSkew()
                : dev.vgate.agent.config.CommandsConfig.DEFAULT_CLOCK_SKEW;
    }

    /** Loads and checks the trust file exactly as {@link #open} does, without touching the state folder. */
    public static KeySetState load(VgateConfig c) throws TrustException {
        Path f = file(c).orElseThrow(() -> new TrustException("no trust file: set commands.trust (or ota.trust)"));
        return TrustFile.load(f).toState();
    }

    /**
     * Opens the store: the trust file's key set, or the persisted one when at least as new. A key set that
     * an earlier vgate kept in commands.db is carried over to keyset.pb once.
     */
    public static TrustStore open(VgateConfig c, Clock clock) throws TrustException {
        return open(c, load(c), clock);
    }

    /** As {@link #open(VgateConfig, Clock)}, on the trust file's key set already {@linkplain #load loaded}. */
    public static TrustStore open(VgateConfig c, KeySetState fromFile, Clock clock) throws TrustException {
        return open(file(c).get(), fromFile, c.stateDir(), clock);
    }

    /** As {@link #open(VgateConfig, Clock)}, from the parts: the trust file and the state folder (tests, demo). */
    public static TrustStore open(Path trustFile, Path stateDir, Clock clock) throws TrustException {
        return open(trustFile, TrustFile.load(trustFile).toState(), stateDir, clock);
    }

    private static TrustStore open(Path trustFile, KeySetState fromFile, Path stateDir, Clock clock) throws TrustException {
        KeySetFile persisted = KeySetFile.in(stateDir);
        if (importPending(stateDir, persisted)) {
            Optional<byte[]> set = keptInCommandsDb(stateDir);
            if (set.isPresent()) {
                persisted.save(-1, set.get());
                Logger.info("trust: carried the key set persisted in {} over to {}", stateDir.resolve(CommandStateDb.FILE_NAME), persisted.path());
            }
            Path done = importedMarker(stateDir);
            try {
                KeySetFile.writeAtomically(done, ("key set of " + CommandStateDb.FILE_NAME + " checked\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new TrustException("cannot write " + done + ": " + e.getMessage(), e);
            }
        }
        TrustStore store = TrustStore.open(fromFile, persisted);
        KeySetState s = store.current();
        Logger.info("trust: {} (key set version {}{}, {} key(s), {} revoked, root threshold {} of {})", trustFile, s.version(),
                s == fromFile ? " from the trust file" : " persisted in " + persisted.path(), s.keys().size(), s.revoked().size(),
                s.rootThreshold(), s.roots().size());
        return store;
    }

    /**
     * The key set {@code vgate run} on this configuration is using (or would start with), read without writing
     * anything: the trust file, the rotations persisted in {@code state_dir/keyset.pb}, and a key set an older vgate
     * kept in commands.db that the daemon has not carried over yet. {@code vgate cmd verify --config} checks against
     * it, so the CLI and the daemon see one trust state.
     */
    public static KeySetState active(VgateConfig c, Clock clock) throws TrustException {
        KeySetState fromFile = load(c);
        KeySetFile persisted = KeySetFile.in(c.stateDir());
        Optional<byte[]> kept = importPending(c.stateDir(), persisted) ? keptInCommandsDb(c.stateDir()) : persisted.load();
        return TrustStore.open(fromFile, new KeySetPersistence() {
            @Override public Optional<byte[]> load() { return kept; }
            @Override public void save(long version, byte[] keySet) { throw new UnsupportedOperationException("read-only"); }
        }).current();
    }

    /** The marker of the one-time carry-over from commands.db, written at the first start after the upgrade. */
    static Path importedMarker(Path stateDir) { return stateDir.resolve(KeySetFile.NAME + ".imported"); }

    private static boolean importPending(Path stateDir, KeySetFile target) {
        return !Files.exists(target.path()) && !Files.exists(importedMarker(stateDir)) && Files.exists(stateDir.resolve(CommandStateDb.FILE_NAME));
    }

    private static Optional<byte[]> keptInCommandsDb(Path stateDir) throws TrustException {
        Path db = stateDir.resolve(CommandStateDb.FILE_NAME);
        try {
            return CommandStateDb.readKeySet(stateDir); // read-only: the CLI's view must not change a device's state
        } catch (CommandStateException e) {
            // fail closed: starting from the trust file could bring back keys a rotation revoked
            throw new TrustException("cannot read the key set kept in " + db + ": " + e.getMessage(), e);
        }
    }
}
