package dev.vgate.agent.daemon;

import dev.vgate.input.ErrorText;
import dev.vgate.rules.RuleDbc;
import dev.vgate.rules.RuleSet;
import dev.vgate.rules.RulesException;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The one place a configuration's rules file is loaded: against the DBCs, within the rule engine's memory budget
 * ({@code rules_memory}). {@code vgate run} and {@code vgate config check} (through {@link DaemonInputs}) and
 * {@code vgate rules run} call it, so a file one of them refuses the others refuse, with the same one line.
 */
public final class ConfiguredRules {
    /**
     * How often the rule engine is ticked while the buses are quiet (so a debounce or stale() ends on time), by the
     * daemon and by {@code vgate rules run} alike.
     */
    public static final Duration TICK = Duration.ofMillis(20);

    private ConfiguredRules() {}

    /**
     * @param memoryBudget the most heap the engine may preallocate for the rules (windows, rate limits), bytes
     * @throws DaemonException with one problem line, {@code rules FILE: reason}
     */
    public static RuleSet load(Path file, RuleDbc dbc, long memoryBudget) throws DaemonException {
        return load(file, dbc, memoryBudget, 0);
    }

    /**
     * As {@link #load(Path, RuleDbc, long)}, with the telemetry collectors' pre-trigger rings ({@code captureRingBytes})
     * counted against the same budget, as {@code vgate run} holds them.
     */
    public static RuleSet load(Path file, RuleDbc dbc, long memoryBudget, long captureRingBytes) throws DaemonException {
        try {
            return RuleSet.load(file, dbc, memoryBudget, captureRingBytes);
        } catch (RulesException | RuntimeException e) {
            throw new DaemonException(problem(file, e), e);
        }
    }

    /**
     * The one-line problem of a rules file that does not load (or of the DBCs it is loaded against), naming the file
     * once: the rules loader's own messages start with it already.
     */
    public static String problem(Path file, Exception e) {
        String m = String.valueOf(e.getMessage());
        return ErrorText.clean("rules " + (m.startsWith(file + ": ") ? m : file + ": " + m));
    }
}
