package dev.vgate.agent.cli;

import dev.vgate.agent.config.BusConfig;
import dev.vgate.agent.config.BusKind;
import dev.vgate.agent.config.VgateConfig;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration {@code vgate rules run --config} runs: the file's, with {@code --rules} in place of its rules
 * file and the buses {@code --log} replays turned into {@code replay} buses, which is how {@code vgate run} replays
 * a log (docs/configuration.md). Nothing else changes, so the rules load against the same DBCs and budget.
 */
final class ConfiguredRun {
    private ConfiguredRun() {}

    /**
     * @param rules a rules file replacing the configuration's, or null
     * @param logs  {@code FILE} (every bus replays the log's lines of its interface) or {@code BUS=FILE} entries
     *              (that bus replays every line of its log; buses not named stay as configured); null: none
     * @param speed replay speed of the logs (1 = real time)
     */
    static VgateConfig config(VgateConfig c, Path rules, List<String> logs, double speed) {
        List<BusConfig> buses = logs == null ? c.buses() : replayed(c.buses(), logs, speed);
        return new VgateConfig(c.source(), c.vehicleId(), c.stateDir(), buses, c.mqtt(), c.telemetry(),
                rules != null ? rules : c.rules(), c.commands(), c.ota(), c.status(), c.logging(), c.rulesMemory(), c.diag());
    }

    private static List<BusConfig> replayed(List<BusConfig> buses, List<String> logs, double speed) {
        if (!(speed > 0)) throw usage("--speed must be above 0, got " + speed);
        boolean perBus = logs.get(0).contains("=");
        Map<String, Path> byBus = new LinkedHashMap<>();
        for (String l : logs) {
            int eq = l.indexOf('=');
            if ((eq > 0) != perBus || (!perBus && logs.size() > 1)) {
                throw usage("--log: give one FILE (each bus replays the lines of its interface) or BUS=FILE per bus, not both (got '" + l + "')");
            }
            String bus = perBus ? l.substring(0, eq) : "";
            Path file = Path.of(perBus ? l.substring(eq + 1) : l);
            if (!Files.isReadable(file)) throw usage("--log: cannot read " + file);
            if (perBus && buses.stream().noneMatch(b -> b.name().equals(bus))) {
                throw usage("--log: no bus '" + bus + "' in the configuration (buses: " + buses.stream().map(BusConfig::name).toList() + ")");
            }
            if (byBus.put(bus, file) != null) throw usage("--log: bus '" + bus + "' given twice");
        }
        List<BusConfig> out = new ArrayList<>();
        for (BusConfig b : buses) {
            if (!perBus) out.add(replay(b, byBus.get(""), interfaceOf(b), speed));
            else if (byBus.containsKey(b.name())) out.add(replay(b, byBus.get(b.name()), null, speed));
            else out.add(b);
        }
        return out;
    }

    /** The interface name a bus's frames carry in a candump log recorded on the vehicle (a replay bus: the one it plays). */
    private static String interfaceOf(BusConfig b) {
        if (b.kind() == BusKind.REPLAY) return b.iface();
        return b.iface() != null ? b.iface() : b.name();
    }

    private static BusConfig replay(BusConfig b, Path log, String iface, double speed) {
        return new BusConfig(b.name(), BusKind.REPLAY, iface, log, false, speed, b.dbc(), b.idFilter());
    }

    private static CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(new CommandLine(new RulesCommand.Run()), message);
    }
}
