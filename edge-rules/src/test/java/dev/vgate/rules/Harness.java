package dev.vgate.rules;

/** An engine over the test DBC fed by signal name and millisecond timestamps, recording its events. */
final class Harness {
    final TestDbc dbc;
    final RuleSet set;
    final RuleEngine engine;
    final RecordingSink sink = new RecordingSink();
    private final Sample sample = new Sample().iface("can0");

    Harness(String yaml) throws RulesException {
        this(TestDbc.demo(), yaml);
    }

    Harness(TestDbc dbc, String yaml) throws RulesException {
        this.dbc = dbc;
        this.set = RuleSet.parse(yaml, "test.yaml", dbc);
        this.engine = new RuleEngine(set);
    }

    /** One rule "r" with an alert action. */
    static Harness rule(String when, String clear) throws RulesException {
        return new Harness("rules:\n  - name: r\n    when: \"" + when + "\"\n"
                + (clear == null ? "" : "    clear: \"" + clear + "\"\n")
                + "    actions:\n      - alert: { severity: warning }\n");
    }

    Harness feed(String signal, double value, long ms) {
        engine.evaluate(sample.set(dbc.signal(signal).index(), value, ms * 1_000_000L), sink);
        return this;
    }

    Harness tick(long ms) {
        engine.tick(ms * 1_000_000L, sink);
        return this;
    }

    boolean active() { return engine.isActive("r"); }
}
