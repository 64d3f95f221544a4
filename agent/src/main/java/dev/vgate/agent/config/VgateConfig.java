package dev.vgate.agent.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The daemon's whole configuration, as read from one YAML file ({@link ConfigLoader}) or built in code
 * (demo, tests). Every path is absolute: the loader resolves relative ones against the file's folder.
 * {@link #validate()} is the one place that decides whether a configuration can run.
 *
 * @param source    the file it was read from (null when built in code)
 * @param vehicleId the vehicle's identity in topics and telemetry
 * @param stateDir  where vgate keeps state that survives a restart (telemetry buffer, OTA progress)
 * @param buses     CAN buses, at least one
 * @param mqtt      broker connection
 * @param telemetry collection and upload
 * @param rules     edge rules file (null: no edge rules)
 * @param commands  signed commands (null: commands are not accepted)
 * @param ota       A/B updates (null: updates are not accepted)
 * @param status    health/status summary
 * @param logging   log level
 * @param rulesMemory the most heap the rule engine may preallocate for {@code rules} (windows, rate limits), bytes
 * @param diag      vehicle diagnostics: UDS ECUs, OBD-II polling, DTC polling (null: none)
 */
public record VgateConfig(Path source, String vehicleId, Path stateDir, List<BusConfig> buses, MqttConfig mqtt,
                          TelemetryConfig telemetry, Path rules, CommandsConfig commands, OtaConfig ota,
                          StatusConfig status, LoggingConfig logging, long rulesMemory, DiagConfig diag) {
    /** Where the unit and the Yocto image put the configuration. */
    public static final Path DEFAULT_FILE = Path.of("/etc/vgate/vgate.yaml");
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/vgate");

    public VgateConfig {
        buses = buses == null ? List.of() : List.copyOf(buses);
        if (telemetry == null) telemetry = TelemetryConfig.defaults();
        if (status == null) status = StatusConfig.defaults();
        if (logging == null) logging = LoggingConfig.DEFAULT;
        if (rulesMemory == 0) rulesMemory = dev.vgate.rules.RuleSet.DEFAULT_MEMORY_BUDGET;
    }

    /** A configuration with the default {@code rules_memory} and no diagnostics. */
    public VgateConfig(Path source, String vehicleId, Path stateDir, List<BusConfig> buses, MqttConfig mqtt,
                       TelemetryConfig telemetry, Path rules, CommandsConfig commands, OtaConfig ota,
                       StatusConfig status, LoggingConfig logging) {
        this(source, vehicleId, stateDir, buses, mqtt, telemetry, rules, commands, ota, status, logging, 0, null);
    }

    /** Without diagnostics (the configuration as it was before the {@code diag} section). */
    public VgateConfig(Path source, String vehicleId, Path stateDir, List<BusConfig> buses, MqttConfig mqtt,
                       TelemetryConfig telemetry, Path rules, CommandsConfig commands, OtaConfig ota,
                       StatusConfig status, LoggingConfig logging, long rulesMemory) {
        this(source, vehicleId, stateDir, buses, mqtt, telemetry, rules, commands, ota, status, logging, rulesMemory, null);
    }

    /**
     * Checks every field and every combination; returns this configuration when it can run.
     *
     * @throws ConfigException listing every problem, each naming its field path
     */
    public VgateConfig validate() throws ConfigException {
        List<String> problems = new ConfigValidator(this).problems();
        if (!problems.isEmpty()) throw new ConfigException(source, problems);
        return this;
    }

    /** The effective configuration, one {@code field.path = value} line each, secrets masked (for the log). */
    public List<String> describe() {
        return EffectiveConfig.lines(this);
    }

    /** The telemetry buffer's database inside {@link #stateDir()}. */
    public Path telemetryDatabase() {
        return stateDir.resolve("telemetry.db");
    }

    /** Where OTA keeps downloads and install progress, inside {@link #stateDir()}. */
    public Path otaWorkDir() {
        return stateDir.resolve("ota");
    }
}
