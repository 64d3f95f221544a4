package dev.vgate.command.trust;

import dev.vgate.input.SafeYaml;
import dev.vgate.input.BoundedFiles;
import dev.vgate.command.crypto.KeyFormatException;
import dev.vgate.command.crypto.PemKeys;
import dev.vgate.command.crypto.PublicKey;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The YAML trust file (docs/commands.md#trust-file). Unknown fields are errors rather than ignored, so a
 * typo in a role list or a misspelt "revoked" cannot silently widen what a key may do.
 *
 * <pre>
 * version: 1
 * keys:
 *   - id: owner-app-1
 *     public_key: keys/owner-app-1.pub.pem   # relative to this file, or inline PEM
 *     commands: [lock, unlock]
 * revoked: [old-app-0]
 * root:
 *   threshold: 2
 *   keys:
 *     - id: root-1
 *       public_key: keys/root-1.pub.pem
 * </pre>
 */
public final class TrustFile {
    private static final Set<String> TOP = Set.of("version", "keys", "revoked", "root");
    private static final Set<String> KEY = Set.of("id", "public_key", "commands");
    private static final Set<String> ROOT = Set.of("threshold", "keys");
    private static final Set<String> ROOT_KEY = Set.of("id", "public_key");

    /** What the file says; {@code roots} is empty when the file has no root section. */
    public record Content(long version, Map<String, TrustedKey> keys, Set<String> revoked,
                          Map<String, PublicKey> roots, int rootThreshold) {
        /** The generation the agent starts from: a trust file used by the agent must name its roots. */
        public KeySetState toState() throws TrustException {
            if (roots.isEmpty()) throw new TrustException("trust file has no 'root' section (root keys sign key-set updates)");
            return KeySetState.create(version, keys, revoked, roots, rootThreshold);
        }
    }

    private final String label;
    private final Path baseDir;

    private TrustFile(String label, Path baseDir) {
        this.label = label;
        this.baseDir = baseDir;
    }

    public static Content load(Path file) throws TrustException {
        String text;
        try {
            text = BoundedFiles.readUtf8(file, SafeYaml.MAX_CODE_POINTS);
        } catch (IOException e) {
            throw new TrustException("cannot read trust file " + file + ": " + e.getMessage(), e);
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(text, base, file.toString());
    }

    /** Parses trust-file YAML; relative key paths resolve against {@code baseDir}. */
    public static Content parse(String yaml, Path baseDir, String label) throws TrustException {
        return new TrustFile(label, baseDir).parse(yaml);
    }

    private Content parse(String yaml) throws TrustException {
        Object doc;
        try {
            doc = SafeYaml.load(yaml, label);
        } catch (YamlEngineException e) {
            throw new TrustException(label + ": invalid YAML: " + e.getMessage(), e);
        }
        Map<String, Object> top = map(doc, "the document", TOP);
        long version = top.containsKey("version") ? number(top.get("version"), "version") : 0;
        Map<String, TrustedKey> keys = new LinkedHashMap<>();
        for (Object o : list(top.getOrDefault("keys", List.of()), "keys")) {
            Map<String, Object> k = map(o, "an entry of keys", KEY);
            String id = string(k.get("id"), "keys[].id");
            String where = "key '" + id + "'";
            PublicKey pk = publicKey(k.get("public_key"), where);
            Set<String> commands = new TreeSet<>();
            for (Object c : list(required(k, "commands", where), where + " commands")) commands.add(string(c, where + " commands[]"));
            if (keys.put(id, new TrustedKey(id, pk, commands)) != null) throw err("key id '" + id + "' appears twice");
        }
        Set<String> revoked = new TreeSet<>();
        for (Object o : list(top.getOrDefault("revoked", List.of()), "revoked")) revoked.add(string(o, "revoked[]"));
        Map<String, PublicKey> roots = new LinkedHashMap<>();
        int threshold = 0;
        if (top.containsKey("root")) {
            Map<String, Object> root = map(top.get("root"), "root", ROOT);
            threshold = (int) number(required(root, "threshold", "root"), "root.threshold");
            for (Object o : list(required(root, "keys", "root"), "root.keys")) {
                Map<String, Object> k = map(o, "an entry of root.keys", ROOT_KEY);
                String id = string(k.get("id"), "root.keys[].id");
                if (roots.put(id, publicKey(k.get("public_key"), "root key '" + id + "'")) != null) {
                    throw err("root key id '" + id + "' appears twice");
                }
            }
        }
        try {
            KeySetState.create(version, keys, revoked, roots, threshold); // same invariants as every generation
        } catch (TrustException e) {
            throw err(e.getMessage());
        }
        return new Content(version, Map.copyOf(keys), Set.copyOf(revoked), Map.copyOf(roots), threshold);
    }

    private PublicKey publicKey(Object value, String where) throws TrustException {
        String s = string(value, where + " public_key");
        try {
            if (s.contains("-----BEGIN")) return PemKeys.parsePublic(s, label + ": " + where);
            Path p = baseDir.resolve(s);
            return PemKeys.readPublic(p);
        } catch (KeyFormatException e) {
            throw err(where + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(Object o, String what, Set<String> allowed) throws TrustException {
        if (!(o instanceof Map)) throw err(what + " must be a mapping");
        Map<String, Object> m = (Map<String, Object>) o;
        for (Object k : m.keySet()) {
            if (!(k instanceof String) || !allowed.contains(k)) {
                throw err("unknown field '" + k + "' in " + what + " (allowed: " + new TreeSet<>(allowed) + ")");
            }
        }
        return m;
    }

    private List<?> list(Object o, String what) throws TrustException {
        if (!(o instanceof List)) throw err(what + " must be a list");
        return (List<?>) o;
    }

    private Object required(Map<String, Object> m, String field, String where) throws TrustException {
        Object v = m.get(field);
        if (v == null) throw err(where + ": missing '" + field + "'");
        return v;
    }

    private String string(Object o, String what) throws TrustException {
        if (!(o instanceof String) || ((String) o).isEmpty()) throw err(what + " must be a non-empty string");
        return (String) o;
    }

    private long number(Object o, String what) throws TrustException {
        if (!(o instanceof Integer || o instanceof Long)) throw err(what + " must be a whole number");
        return ((Number) o).longValue();
    }

    private TrustException err(String message) { return new TrustException(label + ": " + message); }
}
