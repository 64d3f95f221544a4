package dev.vgate.ota.manifest;

import dev.vgate.input.SafeYaml;
import dev.vgate.input.InputTooLargeException;
import dev.vgate.input.BoundedFiles;
import dev.vgate.ota.OtaException;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.vgate.ota.OtaException.Reason.TRUST_STORE;

/**
 * The trust file: YAML listing public keys and their roles.
 * <pre>
 * keys:
 *   - id: release-2026
 *     roles: [ota]
 *     ed25519: "base64 of the 32-byte key, or of its X.509 SubjectPublicKeyInfo DER"
 * </pre>
 * A malformed file is rejected as a whole: a device never runs on half a trust store.
 */
public final class TrustFile implements KeyLookup {
    private static final long MAX_BYTES = 1 << 20;
    private final Map<String, TrustedKey> keys;

    private TrustFile(Map<String, TrustedKey> keys) { this.keys = Map.copyOf(keys); }

    @Override public Optional<TrustedKey> find(String keyId) { return Optional.ofNullable(keys.get(keyId)); }

    public int size() { return keys.size(); }

    public static TrustFile load(Path file) throws OtaException {
        try {
            return parse(BoundedFiles.readUtf8(file, MAX_BYTES), file.toString());
        } catch (InputTooLargeException e) {
            throw new OtaException(TRUST_STORE, file + ": trust file larger than 1 MiB");
        } catch (IOException e) {
            throw new OtaException(TRUST_STORE, file + ": cannot read trust file: " + e.getMessage(), e);
        }
    }

    public static TrustFile parse(String yaml, String where) throws OtaException {
        Object root;
        try {
            root = SafeYaml.load(yaml, SafeYaml.settings(where).setMaxAliasesForCollections(0).build());
        } catch (YamlEngineException e) {
            throw new OtaException(TRUST_STORE, where + ": not valid YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> top) || !(top.get("keys") instanceof List<?> list))
            throw new OtaException(TRUST_STORE, where + ": expected a top-level 'keys:' list");
        Map<String, TrustedKey> keys = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String at = where + ": keys[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> entry)) throw new OtaException(TRUST_STORE, at + " is not a mapping");
            if (!(entry.get("id") instanceof String id) || id.isBlank()) throw new OtaException(TRUST_STORE, at + ".id is missing");
            if (!(entry.get("roles") instanceof List<?> rl) || rl.isEmpty()) throw new OtaException(TRUST_STORE, at + ".roles must be a non-empty list");
            Set<String> roles = new LinkedHashSet<>();
            for (Object r : rl) {
                if (!(r instanceof String s)) throw new OtaException(TRUST_STORE, at + ".roles holds a non-string");
                roles.add(s);
            }
            if (!(entry.get("ed25519") instanceof String b64)) throw new OtaException(TRUST_STORE, at + ".ed25519 is missing");
            if (keys.containsKey(id)) throw new OtaException(TRUST_STORE, at + ": duplicate key id \"" + id + "\"");
            keys.put(id, new TrustedKey(id, roles, decodePublic(b64.trim(), at)));
        }
        return new TrustFile(keys);
    }

    static Ed25519PublicKeyParameters decodePublic(String b64, String at) throws OtaException {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new OtaException(TRUST_STORE, at + ".ed25519 is not base64");
        }
        if (raw.length == Ed25519PublicKeyParameters.KEY_SIZE) return new Ed25519PublicKeyParameters(raw, 0);
        try {
            AsymmetricKeyParameter k = PublicKeyFactory.createKey(raw);
            if (k instanceof Ed25519PublicKeyParameters ed) return ed;
            throw new OtaException(TRUST_STORE, at + ".ed25519 holds a " + k.getClass().getSimpleName() + ", not an Ed25519 key");
        } catch (IOException | RuntimeException e) {
            throw new OtaException(TRUST_STORE, at + ".ed25519 is neither 32 raw bytes nor an X.509 public key", e);
        }
    }

    /** One trust-file entry for a key, as {@code vgate ota keygen} writes it. */
    public static String entry(String id, Ed25519PublicKeyParameters key, String... roles) {
        return "  - id: " + id + "\n    roles: [" + String.join(", ", roles) + "]\n    ed25519: \""
                + Base64.getEncoder().encodeToString(key.getEncoded()) + "\"\n";
    }
}
