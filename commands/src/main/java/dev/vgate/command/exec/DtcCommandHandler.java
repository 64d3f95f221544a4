package dev.vgate.command.exec;

import dev.vgate.command.verify.CommandCatalog.InvalidParamsException;
import dev.vgate.protocol.command.Command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * read-dtcs and clear-dtcs. Parameter {@code ecus}: comma-separated ECU names from the diag configuration,
 * or {@code all} (the default for read-dtcs; clear-dtcs must say it, so nothing is cleared by omission).
 * Which keys may issue clear-dtcs is the trust file's business: a key issues only the types it lists.
 * The result has one value per ECU, its DTC lines joined by "; " (empty: none), and {@code count}.
 */
public final class DtcCommandHandler implements CommandHandler {
    static final int MAX_ECUS = 32;

    private final DtcService service;
    private final boolean clear;

    private DtcCommandHandler(DtcService service, boolean clear) {
        this.service = service;
        this.clear = clear;
    }

    public static DtcCommandHandler read(DtcService s) { return new DtcCommandHandler(s, false); }

    public static DtcCommandHandler clear(DtcService s) { return new DtcCommandHandler(s, true); }

    @Override public void validate(Command command) throws InvalidParamsException {
        ecus(command);
    }

    private List<String> ecus(Command command) throws InvalidParamsException {
        String type = clear ? "clear-dtcs" : "read-dtcs";
        for (String k : command.getParamsMap().keySet()) {
            if (!k.equals("ecus")) throw new InvalidParamsException("unknown parameter '" + k + "' (" + type + " takes 'ecus')");
        }
        String list = command.getParamsOrDefault("ecus", clear ? "" : "all").trim();
        if (list.isEmpty()) throw new InvalidParamsException("parameter 'ecus' is required: ECU names or 'all'");
        if (list.equals("all")) return List.of();
        List<String> names = new ArrayList<>();
        for (String s : list.split(",")) {
            String n = s.trim();
            if (!n.matches("[A-Za-z0-9_-]{1,32}")) throw new InvalidParamsException("'" + n + "' is not an ECU name");
            names.add(n);
        }
        if (names.size() > MAX_ECUS) throw new InvalidParamsException(names.size() + " ECUs named, at most " + MAX_ECUS);
        return names;
    }

    @Override public Map<String, String> execute(Command command) throws CommandFailedException {
        List<String> ecus;
        try {
            ecus = ecus(command);
        } catch (InvalidParamsException e) {
            throw new CommandFailedException("INVALID_PARAMS", e.getMessage());
        }
        Map<String, List<String>> result = clear ? service.clear(ecus) : service.read(ecus);
        Map<String, String> out = new LinkedHashMap<>();
        int count = 0;
        for (Map.Entry<String, List<String>> e : result.entrySet()) {
            out.put(e.getKey(), String.join("; ", e.getValue()));
            count += e.getValue().size();
        }
        out.put("count", Integer.toString(count));
        return out;
    }
}
