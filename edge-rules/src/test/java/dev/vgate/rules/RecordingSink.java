package dev.vgate.rules;

import java.util.ArrayList;
import java.util.List;

/** Records rule events as "fired:rule@ms" / "cleared:rule@ms" strings (ms since the test epoch 0). */
final class RecordingSink implements ActionSink {
    final List<String> events = new ArrayList<>();

    @Override public void fired(Rule rule, long at, String iface, SignalValues values) {
        events.add("fired:" + rule.name() + "@" + at / 1_000_000);
    }

    @Override public void cleared(Rule rule, long at, String iface, SignalValues values) {
        events.add("cleared:" + rule.name() + "@" + at / 1_000_000);
    }
}
