package dev.vgate.command.exec;

import dev.vgate.command.verify.CommandCatalog.InvalidParamsException;
import dev.vgate.protocol.command.Command;

import java.util.Map;

/** collection-policy and rules: the signed body is the new configuration, handed to the sink. */
public final class ConfigUpdateHandler implements CommandHandler {
    private final ConfigUpdateSink.Kind kind;
    private final ConfigUpdateSink sink;

    public ConfigUpdateHandler(ConfigUpdateSink.Kind kind, ConfigUpdateSink sink) {
        this.kind = kind;
        this.sink = sink;
    }

    @Override public void validate(Command command) throws InvalidParamsException {
        if (command.getBody().isEmpty()) throw new InvalidParamsException(command.getType() + " needs the configuration as body");
        if (!command.getParamsMap().isEmpty()) throw new InvalidParamsException(command.getType() + " takes no parameters");
    }

    @Override public Map<String, String> execute(Command command) throws CommandFailedException {
        sink.apply(kind, command.getBody().toByteArray());
        return Map.of();
    }
}
