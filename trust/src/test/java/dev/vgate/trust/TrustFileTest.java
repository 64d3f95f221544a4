package dev.vgate.trust;

import dev.vgate.trust.crypto.KeyAlgorithm;
import dev.vgate.trust.crypto.PemKeys;
import dev.vgate.trust.crypto.PrivateKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class TrustFileTest {
    @TempDir Path dir;
    private PrivateKey owner;
    private PrivateKey root;

    @BeforeEach void keys() throws Exception {
        Files.createDirectories(dir.resolve("keys"));
        owner = PrivateKey.generate(KeyAlgorithm.ED25519, new SecureRandom());
        root = PrivateKey.generate(KeyAlgorithm.P256, new SecureRandom());
        PemKeys.writePublic(dir.resolve("keys/owner-app-1.pub.pem"), owner.publicKey());
    }

    private String inlineRoot() {
        return "    - id: root-1\n      public_key: |\n" + PemKeys.publicPem(root.publicKey()).lines()
                .map(l -> "        " + l + "\n").reduce("", String::concat);
    }

    @Test void readsTheIssueFormatWithRelativePathsAndInlinePem() throws Exception {
        Path f = dir.resolve("trust.yaml");
        Files.writeString(f, "version: 3\nkeys:\n  - id: owner-app-1\n    public_key: keys/owner-app-1.pub.pem\n"
                + "    commands: [lock, unlock, horn, lights, climate, get-state]\nrevoked: [old-app-0]\n"
                + "root:\n  threshold: 1\n  keys:\n" + inlineRoot());
        KeySetState s = TrustFile.load(f).toState();
        assertEquals(3, s.version());
        assertEquals(owner.publicKey(), s.key("owner-app-1").publicKey());
        assertEquals(Set.of("lock", "unlock", "horn", "lights", "climate", "get-state"), s.key("owner-app-1").commands());
        assertTrue(s.isRevoked("old-app-0"));
        assertEquals(root.publicKey(), s.root("root-1"));
        assertEquals(1, s.rootThreshold());
    }

    private TrustException bad(String yaml) {
        return assertThrows(TrustException.class, () -> TrustFile.parse(yaml, dir, "t.yaml").toState());
    }

    @Test void rejectsWhatCouldWidenTrustSilently() {
        String key = "keys:\n  - id: a\n    public_key: keys/owner-app-1.pub.pem\n    commands: [lock]\n";
        String roots = "root:\n  threshold: 1\n  keys:\n" + inlineRoot();
        assertTrue(bad(key + roots + "revokd: [x]\n").getMessage().contains("unknown field 'revokd'"));
        assertTrue(bad("keys:\n  - id: a\n    public_key: keys/owner-app-1.pub.pem\n    command: [lock]\n" + roots).getMessage().contains("unknown field 'command'"));
        assertTrue(bad(key + roots.replace("threshold: 1", "threshold: 2")).getMessage().contains("threshold 2 not in 1..1"));
        assertTrue(bad(key + roots + "revoked: [a]\n").getMessage().contains("both listed and revoked"));
        assertTrue(bad(key + key.substring(5) + roots).getMessage().contains("appears twice"));
        assertTrue(bad(key).getMessage().contains("no 'root' section"));
        assertTrue(bad(key.replace("keys/owner-app-1.pub.pem", "keys/missing.pem") + roots).getMessage().contains("missing.pem"));
        assertTrue(bad("keys: [\n").getMessage().contains("invalid YAML"));
    }
}
