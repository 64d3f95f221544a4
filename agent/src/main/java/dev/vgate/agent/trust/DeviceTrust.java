package dev.vgate.agent.trust;

import dev.vgate.agent.config.VgateConfig;
import dev.vgate.command.state.CommandStateDb;
import dev.vgate.command.state.CommandStateException;
import dev.vgate.command.state.StateDbKeySets;
import dev.vgate.trust.KeySetFile;
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
        KeySetFile persisted = KeySetFile.in(c.stateDir());
        importFromCommandsDb(c.stateDir(), persisted, clock);
        TrustStore store = TrustStore.open(fromFile, persisted);
        KeySetState s = store.current();
        Logger.info("trust: {} (key set version {}{}, {} key(s), {} revoked, root threshold {} of {})", file(c).get(), s.version(),
                s == fromFile ? " from the trust file" : " persisted in " + persisted.path(), s.keys().size(), s.revoked().size(),
                s.rootThreshold(), s.roots().size());
        return store;
    }

    private static void importFromCommandsDb(Path stateDir, KeySetFile target, Clock clock) throws TrustException {
        Path db = stateDir.resolve(CommandStateDb.FILE_NAME);
        Path done = stateDir.resolve(KeySetFile.NAME + ".imported"); // checked once, at the first start after the upgrade
        if (Files.exists(target.path()) || Files.exists(done) || !Files.exists(db)) return;
        try (CommandStateDb old = CommandStateDb.open(stateDir)) {
            Optional<byte[]> set = new StateDbKeySets(old, clock).load();
            if (set.isPresent()) {
                target.save(-1, set.get());
                Logger.info("trust: carried the key set persisted in {} over to {}", db, target.path());
            }
        } catch (CommandStateException e) {
            // fail closed: starting from the trust file could bring back keys a rotation revoked
            throw new TrustException("cannot read the key set kept in " + db + ": " + e.getMessage(), e);
        }
        try {
            Files.writeString(done, "key set of " + CommandStateDb.FILE_NAME + " checked\n");
        } catch (java.io.IOException e) {
            throw new TrustException("cannot write " + done + ": " + e.getMessage(), e);
        }
    }
}
