package dev.vgate.command.exec;

import dev.vgate.command.verify.CommandCatalog;
import dev.vgate.protocol.command.Command;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The table of command type → handler; a type without a row is UNKNOWN_TYPE to the verifier. */
public final class HandlerRegistry implements CommandCatalog {
    private final Map<String, CommandHandler> handlers = new LinkedHashMap<>();

    public HandlerRegistry register(String type, CommandHandler handler) {
        if (handlers.putIfAbsent(type, handler) != null) throw new IllegalStateException("two handlers for command type '" + type + "'");
        return this;
    }

    @Override public boolean knows(String type) { return handlers.containsKey(type); }

    @Override public void validate(Command command) throws InvalidParamsException {
        CommandHandler h = handlers.get(command.getType());
        if (h != null) h.validate(command);
    }

    public Map<String, String> execute(Command command) throws CommandFailedException {
        CommandHandler h = handlers.get(command.getType());
        if (h == null) throw new CommandFailedException("UNKNOWN_TYPE", "no handler for '" + command.getType() + "'");
        return h.execute(command);
    }

    public Set<String> types() { return Collections.unmodifiableSet(handlers.keySet()); }
}
