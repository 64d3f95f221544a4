package dev.vgate.agent.daemon;

import dev.vgate.agent.command.CommandEndpoint;
import dev.vgate.agent.config.BusConfig;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.buffer.policy.CollectionPolicy;
import dev.vgate.buffer.policy.PolicyException;
import dev.vgate.buffer.policy.PolicyLoader;
import dev.vgate.command.CommandException;
import dev.vgate.command.CommandStack;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DbcException;
import dev.vgate.mqtt.MqttLinkException;
import dev.vgate.mqtt.PahoMqttLink;
import dev.vgate.rules.MultiBusDbc;
import dev.vgate.rules.RuleSet;
import dev.vgate.rules.RulesException;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import dev.vgate.agent.trust.DeviceTrust;
import dev.vgate.trust.KeySetState;
import dev.vgate.trust.TrustException;
import dev.vgate.trust.TrustStore;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Everything {@code vgate run} reads from the files a configuration names before any part starts: every bus's
 * DBCs, the rules (with their memory budget, {@code rules_memory}), the telemetry collection policy, the MQTT
 * settings, the one trust file and the commands' CAN mapping. A problem in any of them is a configuration error no
 * retry can mend, so the daemon refuses to start on it; {@code vgate config check} runs this same
 * {@link #load} — not a copy of it — so what check accepts, run starts with.
 *
 * @param busDbcs  each bus's DBCs, by bus name (a file shared by buses is parsed once)
 * @param all      every distinct DBC
 * @param rulesDbc the rules' view of all buses (null without rules)
 * @param ruleSet  the loaded rules (null without rules)
 * @param policy   the telemetry collection policy ({@link CollectionPolicy#everySample()} without a policy file)
 * @param trust    the key set the one trust file describes (null without a trust file); the daemon opens its
 *                 trust store on it ({@link DeviceTrust#open(VgateConfig, KeySetState, java.time.Clock)}), not on a second read
 */
public record DaemonInputs(Map<String, List<DbcDatabase>> busDbcs, List<DbcDatabase> all, MultiBusDbc rulesDbc,
                           RuleSet ruleSet, CollectionPolicy policy, KeySetState trust) {

    /**
     * Loads every input of a validated configuration; DBC warnings go to {@code warnings}.
     *
     * @throws DaemonException with every problem found, one line each (see {@link DaemonException#problems()})
     */
    public static DaemonInputs load(VgateConfig config, Consumer<String> warnings) throws DaemonException {
        List<String> problems = new ArrayList<>();
        Map<String, List<DbcDatabase>> busDbcs = new LinkedHashMap<>();
        List<DbcDatabase> all = new ArrayList<>();
        Map<Path, DbcDatabase> loaded = new HashMap<>();
        Set<Path> failed = new HashSet<>();
        for (int i = 0; i < config.buses().size(); i++) {
            BusConfig b = config.buses().get(i);
            List<DbcDatabase> dbs = new ArrayList<>();
            for (Path p : b.dbc()) {
                if (failed.contains(p)) continue;
                DbcDatabase db = loaded.get(p);
                if (db == null) {
                    try {
                        db = DbcDatabase.load(p);
                    } catch (DbcException e) {
                        problems.add("buses[" + i + "].dbc: " + e.getMessage());
                        failed.add(p);
                        continue;
                    }
                    db.warnings().forEach(w -> warnings.accept(w.toString()));
                    loaded.put(p, db);
                    all.add(db);
                }
                dbs.add(db);
            }
            busDbcs.put(b.name(), dbs);
        }
        if (config.diag() != null && config.diag().obd() != null) {
            // polled OBD-II PIDs arrive as frames of their own pseudo-bus, decoded by a generated DBC (DiagPart)
            try {
                DbcDatabase obd = DbcDatabase.parse(dev.vgate.diag.obd.ObdDbc.text(config.diag().obd().pids()), "obd-pids.dbc");
                busDbcs.put(config.diag().obd().busName(), List.of(obd));
                all.add(obd);
            } catch (DbcException | RuntimeException e) {
                problems.add("diag.obd.pids: " + e.getMessage());
            }
        }
        boolean dbcsLoaded = problems.isEmpty(); // a bad policy is reported beside the rules' problems, not instead of them
        CollectionPolicy policy = CollectionPolicy.everySample();
        if (config.telemetry().policy() != null) {
            try {
                policy = PolicyLoader.load(config.telemetry().policy());
            } catch (PolicyException e) {
                problems.add("telemetry.policy: " + e.getMessage());
            }
        }
        // each DBC of each bus gets a telemetry collector with its own pre-trigger ring, which the rules' captures read:
        // the rings count against the rules' budget (rules_memory), with or without a rules file
        int collectors = 0;
        for (List<DbcDatabase> dbs : busDbcs.values()) collectors += dbs.size();
        long captureRingBytes = collectors * policy.preTriggerRingBytes();
        MultiBusDbc rulesDbc = null;
        RuleSet ruleSet = null;
        // the rules against every bus's DBCs: only meaningful once all of those loaded
        if (config.rules() != null && dbcsLoaded) {
            try {
                rulesDbc = MultiBusDbc.of(busDbcs);
                ruleSet = ConfiguredRules.load(config.rules(), rulesDbc, config.rulesMemory(), captureRingBytes);
            } catch (DaemonException e) {
                problems.addAll(e.problems());
            } catch (RuntimeException e) { // the DBCs cannot be one index space
                problems.add(ConfiguredRules.problem(config.rules(), e));
            }
        } else if (config.rules() == null) {
            try {
                RuleSet.requireCaptureRingsWithin(captureRingBytes, config.rulesMemory(),
                        config.telemetry().policy() == null ? "telemetry" : config.telemetry().policy().toString());
            } catch (RulesException e) {
                problems.add("telemetry.policy: " + e.getMessage());
            }
        }
        try (PahoMqttLink probe = new PahoMqttLink(config.mqtt().toSettings())) {
            probe.getClass(); // the client is built (and checks the URL and client id) but never connects
        } catch (MqttLinkException | RuntimeException e) {
            problems.add("mqtt: " + e.getMessage());
        }
        // the one trust file (commands, OTA, configuration updates), as DeviceTrust.open reads it, state aside
        KeySetState trust = null;
        if (DeviceTrust.file(config).isPresent()) {
            try {
                trust = DeviceTrust.load(config);
            } catch (TrustException | RuntimeException e) {
                problems.add("trust " + DeviceTrust.file(config).get() + ": " + e.getMessage());
            }
        }
        if (config.commands() != null && trust != null) {
            try {
                // the daemon builds its endpoint with the same factory (its link, sinks and persisted key set differ, not what is read)
                CommandEndpoint.fromConfig(config, TrustStore.of(trust), null, CommandStack.Sinks.refusing(), Clock.systemUTC());
            } catch (CommandException | RuntimeException e) {
                problems.add("commands: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) throw new DaemonException(problems.stream().map(dev.vgate.input.ErrorText::clean).toList());
        return new DaemonInputs(busDbcs, all, rulesDbc, ruleSet, policy, trust);
    }
}
