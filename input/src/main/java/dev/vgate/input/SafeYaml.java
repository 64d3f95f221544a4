package dev.vgate.input;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.LoadSettingsBuilder;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.Optional;

/**
 * The one way vgate reads YAML (configuration, rules, collection policy, trust files, CAN command mapping):
 * SnakeYAML Engine with limits on size, aliases and nesting depth. SnakeYAML Engine has no depth limit of its
 * own and builds documents recursively, so YAML nested ~1,000 deep overflows the stack; here the event stream
 * (parsed without recursion) is measured first and a document deeper than {@link #MAX_DEPTH} is refused with
 * a one-line error before anything is built.
 */
public final class SafeYaml {
    /** Deepest nesting of mappings and sequences accepted; vgate's own files need fewer than 10 levels. */
    public static final int MAX_DEPTH = 64;
    /** Largest YAML text, in code points. */
    public static final int MAX_CODE_POINTS = 1 << 20;
    /** Most aliases to collections in one document (the "billion laughs" guard). */
    public static final int MAX_ALIASES = 50;

    private SafeYaml() {}

    /** Settings with vgate's limits; callers may add a schema or other options before {@code build()}. */
    public static LoadSettingsBuilder settings(String label) {
        return LoadSettings.builder()
                .setLabel(label)
                .setCodePointLimit(MAX_CODE_POINTS)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setAllowRecursiveKeys(false)
                .setAllowDuplicateKeys(false);
    }

    /** Loads the document into maps, lists and scalars. */
    public static Object load(String text, String label) {
        return load(text, settings(label).build());
    }

    public static Object load(String text, LoadSettings settings) {
        checkDepth(text, settings);
        return new Load(settings).loadFromString(text);
    }

    /** Composes the document into nodes (empty for an empty document). */
    public static Optional<Node> compose(String text, LoadSettings settings) {
        checkDepth(text, settings);
        return new Compose(settings).composeString(text);
    }

    /** @throws YamlEngineException the text nests deeper than {@link #MAX_DEPTH} (or does not parse) */
    static void checkDepth(String text, LoadSettings settings) {
        int depth = 0;
        for (Event e : new Parse(settings).parseString(text)) {
            switch (e.getEventId()) {
                case MappingStart:
                case SequenceStart:
                    if (++depth > MAX_DEPTH) {
                        String where = e.getStartMark().map(m -> " at line " + (m.getLine() + 1)).orElse("");
                        throw new YamlEngineException("nesting deeper than " + MAX_DEPTH + " levels" + where);
                    }
                    break;
                case MappingEnd:
                case SequenceEnd:
                    depth--;
                    break;
                default:
                    break;
            }
        }
    }
}
