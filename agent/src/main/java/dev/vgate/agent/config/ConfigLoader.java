package dev.vgate.agent.config;

import dev.vgate.input.SafeYaml;
import dev.vgate.input.InputTooLargeException;
import dev.vgate.input.BoundedFiles;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the daemon's YAML configuration file: parse, bind to {@link VgateConfig} with defaults (relative
 * paths resolved against the file's folder), then {@link VgateConfig#validate()}.
 */
public final class ConfigLoader {
    /** Config files are small; a larger one is a mistake (or an attack on the parser). */
    static final int MAX_FILE_CHARS = 1 << 20;

    private ConfigLoader() {}

    /** Loads and validates a configuration file. */
    public static VgateConfig load(Path file) throws ConfigException {
        Path abs = file.toAbsolutePath().normalize();
        String text;
        try {
            // a strict decoder: a config with mangled bytes is refused, not read with replacement characters
            text = BoundedFiles.readUtf8Strict(abs, MAX_FILE_CHARS);
        } catch (InputTooLargeException e) {
            throw new ConfigException(abs, List.of("file is larger than " + MAX_FILE_CHARS + " bytes"));
        } catch (NoSuchFileException e) {
            throw new ConfigException(abs, List.of("file not found"));
        } catch (CharacterCodingException e) {
            throw new ConfigException(abs, List.of("not UTF-8 text"));
        } catch (IOException e) {
            throw new ConfigException(abs, "cannot read: " + e.getMessage(), e);
        }
        return parse(text, abs);
    }

    /**
     * Parses configuration text as if read from {@code file} (whose folder anchors relative paths), then
     * validates it.
     */
    public static VgateConfig parse(String text, Path file) throws ConfigException {
        Path abs = file.toAbsolutePath().normalize();
        Node root = compose(text, abs);
        List<String> problems = new ArrayList<>();
        VgateConfig config = new ConfigBinder(problems).bind(YamlMap.root(root, problems, abs.getParent()), abs);
        if (!problems.isEmpty()) throw new ConfigException(abs, problems);
        return config.validate();
    }

    private static Node compose(String text, Path file) throws ConfigException {
        LoadSettings settings = SafeYaml.settings(file.getFileName().toString()).setSchema(new CoreSchema()).build();
        try {
            Optional<Node> node = SafeYaml.compose(text, settings);
            if (node.isEmpty()) throw new ConfigException(file, List.of("the file is empty"));
            return node.get();
        } catch (MarkedYamlEngineException e) {
            String where = e.getProblemMark().map(m -> "line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1))
                    .orElse("somewhere");
            throw new ConfigException(file, "YAML syntax error at " + where + ": " + e.getProblem(), e);
        } catch (YamlEngineException e) {
            throw new ConfigException(file, "YAML error: " + e.getMessage(), e);
        }
    }
}
