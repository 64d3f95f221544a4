package dev.vgate.command.exec;

import dev.vgate.command.verify.CommandCatalog.InvalidParamsException;
import dev.vgate.protocol.command.Command;

import java.util.Map;

/**
 * collection-policy, rules and dbc-set: the signed body is the new configuration, handed to the sink with the
 * only parameter, {@code version} (a positive integer; the sink refuses one that is not above the active one).
 */
public final class ConfigUpdateHandler implements CommandHandler {
    private final ConfigUpdateSink.Kind kind;
    private final ConfigUpdateSink sink;

    public ConfigUpdateHandler(ConfigUpdateSink.Kind kind, ConfigUpdateSink sink) {
        this.kind = kind;
        this.sink = sink;
    }

    @Override public void validate(Command command) throws InvalidParamsException {
        if (command.getBody().isEmpty()) throw new InvalidParamsException(command.getType() + " needs the configuration as body");
        for (Map.Entry<String, String> p : command.getParamsMap().entrySet()) {
            if (!p.getKey().equals("version")) throw new InvalidParamsException(command.getType() + " takes only the parameter 'version', not '" + p.getKey() + "'");
            try {
                if (Long.parseLong(p.getValue()) <= 0) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw new InvalidParamsException(command.getType() + ": version must be a positive integer, got '" + p.getValue() + "'");
            }
        }
    }

    @Override public Map<String, String> execute(Command command) throws CommandFailedException {
        return sink.apply(kind, command.getBody().toByteArray(), command.getParamsMap());
    }
}
