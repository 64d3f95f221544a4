package dev.vgate.trust;

import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds keys to a trust file ({@code vgate keys gen --trust}). The result is loaded back with
 * {@link TrustFile#load} before it replaces the file, so a change that would not load is never written.
 * The file is rewritten (comments are not kept), mode 0644 at most whatever the umask, replaced atomically ({@link AtomicFiles}).
 */
public final class TrustFileWriter {
    private TrustFileWriter() {}

    /** Adds a signing key with {@code commands} and {@code roles}; {@code publicKeyRef} is a path relative to the trust file. */
    public static void addKey(Path trustFile, String id, String publicKeyRef, List<String> commands, List<String> roles) throws TrustException {
        Map<String, Object> doc = read(trustFile);
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("id", id);
        k.put("public_key", publicKeyRef);
        if (!commands.isEmpty()) k.put("commands", List.copyOf(commands));
        if (!roles.isEmpty()) k.put("roles", List.copyOf(roles));
        list(doc, "keys").add(k);
        write(trustFile, doc);
    }

    /** Adds a root key; a file without a root section gets one with threshold 1. */
    @SuppressWarnings("unchecked")
    public static void addRoot(Path trustFile, String id, String publicKeyRef) throws TrustException {
        Map<String, Object> doc = read(trustFile);
        Map<String, Object> root = (Map<String, Object>) doc.computeIfAbsent("root", x -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("threshold", 1);
            return r;
        });
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("id", id);
        k.put("public_key", publicKeyRef);
        list(root, "keys").add(k);
        write(trustFile, doc);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> m, String field) throws TrustException {
        Object o = m.computeIfAbsent(field, x -> new ArrayList<>());
        if (!(o instanceof List)) throw new TrustException("'" + field + "' is not a list");
        List<Object> l = new ArrayList<>((List<Object>) o);
        m.put(field, l);
        return l;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path trustFile) throws TrustException {
        if (!Files.exists(trustFile)) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("version", 1);
            return doc;
        }
        TrustFile.load(trustFile); // refuse to extend a file that does not load today
        Object doc = new Load(LoadSettings.builder().build()).loadFromString(
                new String(Bounded.read(trustFile, TrustFile.MAX_BYTES, "trust file"), StandardCharsets.UTF_8));
        if (!(doc instanceof Map)) throw new TrustException(trustFile + ": not a mapping");
        return new LinkedHashMap<>((Map<String, Object>) doc);
    }

    private static void write(Path trustFile, Map<String, Object> doc) throws TrustException {
        String yaml = new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build()).dumpToString(doc);
        Path dir = trustFile.toAbsolutePath().getParent();
        TrustFile.parse(yaml, dir, trustFile.toString()); // the new content must load before it replaces the old
        try {
            AtomicFiles.replace(trustFile, yaml.getBytes(StandardCharsets.UTF_8), AtomicFiles.PUBLIC);
        } catch (IOException e) {
            throw new TrustException("cannot write " + trustFile + ": " + e.getMessage(), e);
        }
    }
}
