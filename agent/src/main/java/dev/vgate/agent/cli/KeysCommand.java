package dev.vgate.agent.cli;

import dev.vgate.command.CommandException;
import dev.vgate.command.sign.CommandSigner;
import dev.vgate.trust.KeySetState;
import dev.vgate.trust.Roles;
import dev.vgate.trust.TrustFile;
import dev.vgate.trust.TrustFileWriter;
import dev.vgate.trust.crypto.KeyAlgorithm;
import dev.vgate.trust.crypto.PemKeys;
import dev.vgate.trust.crypto.PrivateKey;
import dev.vgate.trust.crypto.PublicKey;
import dev.vgate.protocol.command.KeySet;
import dev.vgate.protocol.command.SignedKeySet;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vgate keys}: every signing key of the one trust model (commands, OTA, configuration, root), and key-set updates. */
@Command(name = "keys", description = "Generate keys, add them to the trust file, sign key-set updates (docs/security.md#trust-roles).",
        mixinStandardHelpOptions = true, subcommands = {KeysCommand.Gen.class, KeysCommand.SignSet.class, KeysCommand.ImportOtaTrust.class})
public final class KeysCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    @Command(name = "gen", mixinStandardHelpOptions = true,
            description = "Generate a key pair: DIR/KEYID.pem (private, PKCS#8, mode 0600, never overwritten without --force) and "
                    + "DIR/KEYID.pub.pem; with --trust, add the key to that trust file with its roles.")
    static final class Gen implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--alg", defaultValue = "ed25519", description = "ed25519 or p256 (default: ${DEFAULT-VALUE})") String alg;
        @Option(names = "--out", required = true, description = "directory for the key files (created mode 0700)") Path out;
        @Option(names = "--id", required = true, description = "key id (file names and the trust file use it)") String id;
        @Option(names = "--force", description = "replace existing key files") boolean force;
        @Option(names = "--trust", description = "trust file to add the key to (created if missing)") Path trust;
        @Option(names = "--commands", split = ",", description = "command types the key may issue (with --trust)") List<String> commands = new ArrayList<>();
        @Option(names = "--role", split = ",", description = "roles: ota, config (with --trust)") List<String> roles = new ArrayList<>();
        @Option(names = "--root", description = "add it as a root key (signs key-set updates; with --trust)") boolean root;
        @Option(names = "--inline", description = "put the public key into the trust file as PEM (a self-contained file to copy to devices)") boolean inline;

        @Override public Integer call() throws Exception {
            return generate(out, id, alg, force, trust, commands, roles, root, false, inline, new PrintStream(System.out, true, StandardCharsets.UTF_8));
        }
    }

    /**
     * Makes a key pair and optionally adds it to a trust file. {@code withRootIfNew}: a trust file created now
     * also gets a root key ("root-1"), so the file loads on a device ({@code vgate ota keygen}). {@code inline}: the
     * trust file holds the public keys as PEM rather than paths.
     */
    static int generate(Path out, String id, String alg, boolean force, Path trust, List<String> commands, List<String> roles,
                        boolean root, boolean withRootIfNew, boolean inline, PrintStream print) throws Exception {
        KeyAlgorithm a = KeyAlgorithm.parse(alg);
        if (!id.matches("[A-Za-z0-9._:@-]{1,128}")) throw new CommandException("invalid key id '" + id + "' (1..128 of A-Z a-z 0-9 . _ : @ -)");
        for (String c : commands) if (!Roles.COMMAND_TYPES.contains(c) || Roles.KEY_SET_UPDATE.equals(c)) {
            throw new CommandException("--commands: '" + c + "' is not a command type a key may hold (" + Roles.COMMAND_TYPES + " without key-set-update)");
        }
        for (String r : roles) if (!Roles.ROLES.contains(r)) throw new CommandException("--role: unknown role '" + r + "' (ota, config)");
        if (trust == null && (!commands.isEmpty() || !roles.isEmpty() || root)) throw new CommandException("--commands, --role and --root need --trust");
        if (trust != null && !root && commands.isEmpty() && roles.isEmpty()) throw new CommandException("with --trust give --commands, --role or --root");
        if (root && (!commands.isEmpty() || !roles.isEmpty())) throw new CommandException("a root key holds no commands or roles");
        boolean newTrust = trust != null && !Files.exists(trust);
        if (trust != null && !newTrust) TrustFile.load(trust); // refuse before making keys for a file that does not load
        privateDir(out);
        Path pub = writePair(out, id, a, force, print);
        if (trust != null) {
            if (newTrust && withRootIfNew) {
                Path rootPub = writePair(out, "root-1", KeyAlgorithm.ED25519, force, print);
                TrustFileWriter.addRoot(trust, "root-1", ref(trust, rootPub, inline));
            }
            if (root) TrustFileWriter.addRoot(trust, id, ref(trust, pub, inline));
            else TrustFileWriter.addKey(trust, id, ref(trust, pub, inline), commands, roles);
            print.println(trust);
        }
        return 0;
    }

    private static Path writePair(Path out, String id, KeyAlgorithm a, boolean force, PrintStream print) throws IOException {
        Path priv = out.resolve(id + ".pem");
        Path pub = out.resolve(id + ".pub.pem");
        PrivateKey k = PrivateKey.generate(a, new SecureRandom());
        PemKeys.writePrivate(priv, k, force);
        PemKeys.writePublic(pub, k.publicKey(), force);
        print.println(priv);
        print.println(pub);
        return pub;
    }

    /**
     * The key folder: created 0700, and any missing folder above it 0755, at creation (never group- or world-writable,
     * whatever the umask: who can write a parent can swap the key folder); an existing one is left as it is.
     */
    static void privateDir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        try {
            Files.createDirectories(dir.toAbsolutePath().getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        }
    }

    private static String ref(Path trust, Path pub, boolean inline) throws IOException {
        return inline ? Files.readString(pub, StandardCharsets.US_ASCII) : relative(trust, pub);
    }

    private static String relative(Path trust, Path file) {
        Path base = trust.toAbsolutePath().getParent();
        return base.relativize(file.toAbsolutePath()).toString();
    }

    @Command(name = "sign-set", mixinStandardHelpOptions = true,
            description = "Build a key set from a trust-format YAML file and sign it with root keys; writes a SignedKeySet "
                    + "(the body of a key-set-update command). Refuses a set the device would refuse (unknown roles, one public key twice, bad threshold).")
    static final class SignSet implements Callable<Integer> {
        @Option(names = "--keys", required = true, description = "YAML in trust-file format: keys, revoked, and optionally root (to rotate the roots)")
        Path keys;
        @Option(names = "--version", required = true, description = "the new key-set version (above the active one; 1 or more)") long version;
        @Option(names = "--root", required = true, description = "a root private key DIR/KEYID (repeat for each signer)") List<String> roots;
        @Option(names = "--out", defaultValue = "-", description = "output file (default stdout)") String out;

        @Override public Integer call() throws Exception {
            if (version < 1) throw new CommandException("--version " + version + ": a key-set version is 1 or more (above the device's active one)");
            TrustFile.Content c = TrustFile.load(keys);
            // the same invariants the device checks (roles, ids, distinct public keys, threshold), before anything is signed
            KeySetState state = KeySetState.create(version, c.keys(), c.revoked(), c.roots(), c.rootThreshold());
            KeySet set = state.toProto().toBuilder().setIssuedAtMs(Clock.systemUTC().millis())
                    .setRootThreshold(c.roots().isEmpty() ? 0 : c.rootThreshold()).build();
            Map<String, PrivateKey> signers = new LinkedHashMap<>();
            for (String r : roots) {
                String id = PemKeys.keyIdOf(r);
                if (signers.put(id, PemKeys.readPrivateRef(r)) != null) throw new CommandException("--root " + id + " given twice");
            }
            SignedKeySet signed = CommandSigner.signKeySet(set, signers);
            CliIo.writeOutput(out, signed.toByteArray());
            return 0;
        }
    }

    @Command(name = "import-ota-trust", mixinStandardHelpOptions = true,
            description = "Convert an old OTA trust file (keys with 'ed25519:' and 'roles:', as the old 'vgate ota keygen' wrote) to the one "
                    + "trust format: writes DIR/KEYID.pub.pem per key and DIR/trust.yaml. Add a root key afterwards (vgate keys gen --root --trust DIR/trust.yaml).")
    static final class ImportOtaTrust implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "OLD") Path old;
        @Option(names = "--out", required = true, description = "directory for the public keys and the new trust.yaml") Path out;
        @Option(names = "--force", description = "replace existing files") boolean force;

        @Override @SuppressWarnings("unchecked") public Integer call() throws Exception {
            Object doc = new Load(LoadSettings.builder().setMaxAliasesForCollections(0).build())
                    .loadFromString(new String(dev.vgate.trust.Bounded.read(old, 1 << 20, "trust file"), StandardCharsets.UTF_8));
            if (!(doc instanceof Map<?, ?> top) || !(top.get("keys") instanceof List<?> list)) throw new CommandException(old + ": expected a top-level 'keys:' list");
            privateDir(out);
            Path trust = out.resolve("trust.yaml");
            if (Files.exists(trust)) {
                if (!force) throw new CommandException(trust + " exists; refusing to overwrite without --force");
                Files.delete(trust);
            }
            int n = 0;
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> e) || !(e.get("id") instanceof String id) || !(e.get("ed25519") instanceof String b64)) {
                    throw new CommandException(old + ": every key needs 'id' and 'ed25519'");
                }
                List<String> roles = new ArrayList<>();
                if (e.get("roles") instanceof List<?> rl) for (Object r : rl) {
                    if (Roles.ROLES.contains(r)) roles.add((String) r);
                    else System.err.println("vgate keys import-ota-trust: key '" + id + "': role '" + r + "' dropped (commands are listed per type: add --commands)");
                }
                if (roles.isEmpty()) continue;
                byte[] raw = Base64.getDecoder().decode(b64.trim());
                PublicKey pk = raw.length == 32
                        ? PublicKey.fromDer(SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(new Ed25519PublicKeyParameters(raw, 0)).getEncoded())
                        : PublicKey.fromDer(raw);
                Path pub = out.resolve(id + ".pub.pem");
                PemKeys.writePublic(pub, pk, force);
                TrustFileWriter.addKey(trust, id, relative(trust, pub), List.of(), roles);
                n++;
            }
            if (n == 0) throw new CommandException(old + ": no key with a role this format knows (ota, config)");
            System.out.println(trust + ": " + n + " key(s); add a root key before a device uses it: vgate keys gen --root --id root-1 --out "
                    + out + " --trust " + trust);
            return 0;
        }
    }

}
