package dev.vgate.command.exec;

import dev.vgate.command.verify.CommandCatalog.InvalidParamsException;
import dev.vgate.protocol.command.Command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * get-state and locate: reports the last known values of named signals. get-state takes them from the
 * {@code signals} parameter (comma-separated); locate uses a fixed list from the configuration.
 * Each present signal yields {@code name → value} (the label when the value has one) and
 * {@code name@ms → time seen}; absent ones are listed in {@code missing}.
 */
public final class StateHandler implements CommandHandler {
    static final int MAX_SIGNALS = 64;

    private final SignalStateView view;
    private final List<String> fixedSignals;

    private StateHandler(SignalStateView view, List<String> fixedSignals) {
        this.view = view;
        this.fixedSignals = fixedSignals;
    }

    public static StateHandler getState(SignalStateView view) { return new StateHandler(view, null); }

    public static StateHandler locate(SignalStateView view, List<String> locationSignals) {
        return new StateHandler(view, List.copyOf(locationSignals));
    }

    @Override public void validate(Command command) throws InvalidParamsException {
        names(command);
    }

    private List<String> names(Command command) throws InvalidParamsException {
        if (fixedSignals != null) {
            if (!command.getParamsMap().isEmpty()) throw new InvalidParamsException("locate takes no parameters");
            return fixedSignals;
        }
        for (String k : command.getParamsMap().keySet()) {
            if (!k.equals("signals")) throw new InvalidParamsException("unknown parameter '" + k + "' (get-state takes 'signals')");
        }
        String list = command.getParamsOrDefault("signals", "");
        List<String> names = new ArrayList<>();
        for (String s : list.split(",")) if (!s.isBlank()) names.add(s.trim());
        if (names.isEmpty()) throw new InvalidParamsException("parameter 'signals' must name at least one signal");
        if (names.size() > MAX_SIGNALS) throw new InvalidParamsException(names.size() + " signals requested, at most " + MAX_SIGNALS);
        return names;
    }

    @Override public Map<String, String> execute(Command command) throws CommandFailedException {
        List<String> names;
        try {
            names = names(command);
        } catch (InvalidParamsException e) {
            throw new CommandFailedException("INVALID_PARAMS", e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String n : names) {
            Optional<SignalStateView.Reading> r = view.latest(n);
            if (r.isEmpty()) {
                missing.add(n);
                continue;
            }
            out.put(n, r.get().label() != null ? r.get().label() : Double.toString(r.get().value()));
            out.put(n + "@ms", Long.toString(r.get().atMs()));
        }
        if (!missing.isEmpty()) out.put("missing", String.join(",", missing));
        return out;
    }
}
