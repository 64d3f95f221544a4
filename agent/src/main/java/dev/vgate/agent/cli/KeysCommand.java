package dev.vgate.agent.cli;

import com.google.protobuf.ByteString;
import dev.vgate.command.CommandException;
import dev.vgate.command.crypto.KeyAlgorithm;
import dev.vgate.command.crypto.PemKeys;
import dev.vgate.command.crypto.PrivateKey;
import dev.vgate.command.crypto.PublicKey;
import dev.vgate.command.sign.CommandSigner;
import dev.vgate.command.trust.TrustFile;
import dev.vgate.command.trust.TrustedKey;
import dev.vgate.protocol.command.KeyEntry;
import dev.vgate.protocol.command.KeySet;
import dev.vgate.protocol.command.RootKey;
import dev.vgate.protocol.command.SignedKeySet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code vgate keys}: command and root keys for signed commands (docs/commands.md). */
@Command(name = "keys", description = "Generate command keys and sign key-set updates.",
        mixinStandardHelpOptions = true, subcommands = {KeysCommand.Gen.class, KeysCommand.SignSet.class})
public final class KeysCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    @Command(name = "gen", mixinStandardHelpOptions = true,
            description = "Generate a key pair: DIR/KEYID.pem (private, PKCS#8) and DIR/KEYID.pub.pem (public).")
    static final class Gen implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--alg", required = true, description = "ed25519 or p256") String alg;
        @Option(names = "--out", required = true, description = "directory for the key files") Path out;
        @Option(names = "--id", required = true, description = "key id (file names and the trust file use it)") String id;

        @Override public Integer call() throws Exception {
            KeyAlgorithm a = KeyAlgorithm.parse(alg);
            if (!id.matches("[A-Za-z0-9._:@-]{1,128}")) throw new CommandException("invalid key id '" + id + "'");
            Files.createDirectories(out);
            Path priv = out.resolve(id + ".pem");
            Path pub = out.resolve(id + ".pub.pem");
            if (Files.exists(priv) || Files.exists(pub)) throw new CommandException("refusing to overwrite " + priv + " / " + pub);
            PrivateKey k = PrivateKey.generate(a, new SecureRandom());
            PemKeys.writePrivate(priv, k);
            PemKeys.writePublic(pub, k.publicKey());
            spec.commandLine().getOut().println(priv);
            spec.commandLine().getOut().println(pub);
            return 0;
        }
    }

    @Command(name = "sign-set", mixinStandardHelpOptions = true,
            description = "Build a key set from a trust-format YAML file and sign it with root keys; writes a SignedKeySet "
                    + "(the body of a key-set-update command).")
    static final class SignSet implements Callable<Integer> {
        @Option(names = "--keys", required = true, description = "YAML in trust-file format: keys, revoked, and optionally root (to rotate the roots)")
        Path keys;
        @Option(names = "--version", required = true, description = "the new key-set version (above the active one)") long version;
        @Option(names = "--root", required = true, description = "a root private key DIR/KEYID (repeat for each signer)") List<String> roots;
        @Option(names = "--out", defaultValue = "-", description = "output file (default stdout)") String out;

        @Override public Integer call() throws Exception {
            TrustFile.Content c = TrustFile.load(keys);
            KeySet.Builder b = KeySet.newBuilder().setVersion(version).setIssuedAtMs(Clock.systemUTC().millis());
            for (TrustedKey k : c.keys().values()) {
                b.addKeys(KeyEntry.newBuilder().setId(k.id()).setPublicKey(ByteString.copyFrom(k.publicKey().encoded()))
                        .addAllCommands(new TreeSet<>(k.commands())));
            }
            b.addAllRevoked(new TreeSet<>(c.revoked()));
            for (Map.Entry<String, PublicKey> r : c.roots().entrySet()) {
                b.addRoots(RootKey.newBuilder().setId(r.getKey()).setPublicKey(ByteString.copyFrom(r.getValue().encoded())));
            }
            if (!c.roots().isEmpty()) b.setRootThreshold(c.rootThreshold());
            Map<String, PrivateKey> signers = new LinkedHashMap<>();
            for (String r : roots) signers.put(CmdCommand.keyId(r), CmdCommand.readKey(r));
            SignedKeySet signed = CommandSigner.signKeySet(b.build(), signers);
            CliIo.writeOutput(out, signed.toByteArray());
            return 0;
        }
    }
}
