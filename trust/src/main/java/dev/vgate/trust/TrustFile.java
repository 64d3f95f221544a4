package dev.vgate.trust;

import dev.vgate.trust.crypto.KeyFormatException;
import dev.vgate.trust.crypto.PemKeys;
import dev.vgate.trust.crypto.PublicKey;
import dev.vgate.input.SafeYaml;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one trust file (docs/security.md#trust-roles): every key the cloud signs with, the command types and
 * roles ({@code ota}, {@code config}) each may sign for, revoked key ids, and the root keys (with their
 * threshold) that sign key-set updates. Commands, update manifests and configuration updates are all checked
 * against it. Unknown fields, command types and roles are errors rather than ignored, so a typo cannot
 * silently change what a key may do.
 *
 * <pre>
 * version: 1
 * keys:
 *   - id: release-1
 *     public_key: keys/release-1.pub.pem     # relative to this file, or inline PEM
 *     roles: [ota]
 *   - id: owner-app-1
 *     public_key: keys/owner-app-1.pub.pem
 *     commands: [lock, unlock, get-state]
 * revoked: [release-0]
 * root:
 *   threshold: 2
 *   keys:
 *     - id: root-1
 *       public_key: keys/root-1.pub.pem
 * </pre>
 */
public final class TrustFile {
    /** What {@code vgate keys import-ota-trust} converts (named in the error for an old-format file). */
    public static final String CONVERT_COMMAND = "vgate keys import-ota-trust";
    static final int MAX_BYTES = 1 << 20, MAX_FLOW_DEPTH = 32, MAX_INDENT = 256;
    private static final Set<String> TOP = Set.of("version", "keys", "revoked", "root");
    private static final Set<String> KEY = Set.of("id", "public_key", "commands", "roles");
    private static final Set<String> ROOT = Set.of("threshold", "keys");
    private static final Set<String> ROOT_KEY = Set.of("id", "public_key");

    /** What the file says; {@code roots} is empty when the file has no root section. */
    public record Content(long version, Map<String, TrustedKey> keys, Set<String> revoked,
                          Map<String, PublicKey> roots, int rootThreshold) {
        /** The generation a device starts from: a device's trust file must name its roots (they sign every rotation). */
        public KeySetState toState() throws TrustException {
            if (roots.isEmpty()) throw new TrustException("trust file has no 'root' section (root keys sign key-set updates)");
            return KeySetState.create(version, keys, revoked, roots, rootThreshold);
        }

        /** The keys as they are, roots optional: for checking one artifact offline ({@code vgate ota apply --trust}). */
        public KeySetState toStateWithoutRoots() throws TrustException {
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
        String text = new String(Bounded.read(file, MAX_BYTES, "trust file"), StandardCharsets.UTF_8);
        Path base = file.toAbsolutePath().getParent();
        return parse(text, base, file.toString());
    }

    /** Parses trust-file YAML; relative key paths resolve against {@code baseDir}. */
    public static Content parse(String yaml, Path baseDir, String label) throws TrustException {
        return new TrustFile(label, baseDir).parse(yaml);
    }

    private Content parse(String yaml) throws TrustException {
        if (yaml.length() > MAX_BYTES) throw err("larger than " + MAX_BYTES + " characters");
        String nesting = nestingProblem(yaml);
        if (nesting != null) throw err(nesting);
        Object doc;
        try {
            // vgate's YAML limits (depth, aliases, size), as every other file vgate reads
            doc = SafeYaml.load(yaml, SafeYaml.settings(label).setMaxAliasesForCollections(0).build());
        } catch (YamlEngineException e) {
            throw err("invalid YAML: " + SafeYaml.describe(e));
        }
        Map<String, Object> top = map(doc, "the document", TOP);
        long version = top.containsKey("version") ? number(top.get("version"), "version") : 0;
        Map<String, TrustedKey> keys = new LinkedHashMap<>();
        for (Object o : list(top.getOrDefault("keys", List.of()), "keys")) {
            if (o instanceof Map<?, ?> m && (m.containsKey("ed25519") || (m.containsKey("roles") && !m.containsKey("public_key")))) {
                throw err("this is the old OTA trust format ('ed25519:' keys); convert it with: " + CONVERT_COMMAND
                        + " " + label + " --out DIR");
            }
            Map<String, Object> k = map(o, "an entry of keys", KEY);
            String id = string(k.get("id"), "keys[].id");
            String where = "key '" + id + "'";
            PublicKey pk = publicKey(k.get("public_key"), where);
            Set<String> commands = names(k.get("commands"), where + " commands");
            Set<String> roles = names(k.get("roles"), where + " roles");
            if (commands.isEmpty() && roles.isEmpty()) throw err(where + ": lists neither 'commands' nor 'roles' (it could sign nothing)");
            if (keys.put(id, new TrustedKey(id, pk, commands, roles)) != null) throw err("key id '" + id + "' appears twice");
        }
        Set<String> revoked = new TreeSet<>();
        for (Object o : list(top.getOrDefault("revoked", List.of()), "revoked")) revoked.add(string(o, "revoked[]"));
        Map<String, PublicKey> roots = new LinkedHashMap<>();
        int threshold = 0;
        if (top.containsKey("root")) {
            Map<String, Object> root = map(top.get("root"), "root", ROOT);
            long t = number(required(root, "threshold", "root"), "root.threshold");
            if (t < 1 || t > KeySetState.MAX_ROOTS) throw err("root.threshold " + t + " not in 1.." + KeySetState.MAX_ROOTS);
            threshold = (int) t;
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

    private Set<String> names(Object o, String what) throws TrustException {
        Set<String> out = new TreeSet<>();
        if (o == null) return out;
        for (Object c : list(o, what)) {
            if (!out.add(string(c, what + "[]"))) throw err(what + ": '" + c + "' appears twice");
        }
        return out;
    }

    /** Deep nesting would recurse the YAML parser into a stack overflow: refuse it before parsing. */
    static String nestingProblem(String yaml) {
        int depth = 0;
        char quote = 0;
        int indent = 0;
        boolean lineStart = true;
        for (int i = 0; i < yaml.length(); i++) {
            char c = yaml.charAt(i);
            if (c == '\n') { lineStart = true; indent = 0; if (quote == '\'') quote = 0; continue; }
            if (lineStart) {
                if (c == ' ' || c == '-') {
                    if (++indent > MAX_INDENT) return "nested deeper than " + MAX_INDENT + " columns of indentation";
                    continue;
                }
                lineStart = false;
            }
            if (quote != 0) {
                if (c == quote) quote = 0;
                else if (c == '\\' && quote == '"') i++;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '[' || c == '{') {
                if (++depth > MAX_FLOW_DEPTH) return "nested deeper than " + MAX_FLOW_DEPTH + " levels of [ ] or { }";
            } else if ((c == ']' || c == '}') && depth > 0) {
                depth--;
            } else if (c == '#') {
                while (i + 1 < yaml.length() && yaml.charAt(i + 1) != '\n') i++;
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private PublicKey publicKey(Object value, String where) throws TrustException {
        String s = string(value, where + " public_key");
        try {
            if (s.contains("-----BEGIN")) return PemKeys.parsePublic(s, label + ": " + where);
            return PemKeys.readPublic(baseDir.resolve(s));
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
        if (((String) o).length() > 64 * 1024) throw err(what + " longer than 65536 characters");
        return (String) o;
    }

    private long number(Object o, String what) throws TrustException {
        if (!(o instanceof Integer || o instanceof Long)) throw err(what + " must be a whole number");
        return ((Number) o).longValue();
    }

    private TrustException err(String message) { return new TrustException(label + ": " + message); }
}
