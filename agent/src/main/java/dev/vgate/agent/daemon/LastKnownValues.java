package dev.vgate.agent.daemon;

import dev.vgate.command.exec.SignalStateView;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.Signal;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The latest value of every decoded signal, for get-state/locate commands and the status report. Written on
 * the receive threads with two atomic stores per sample (no allocation); read by the command thread.
 */
public final class LastKnownValues implements SignalStateView {
    /** One table per DBC database: signal indexes are dense per database. */
    public final class Table {
        private final DbcDatabase db;
        private final AtomicLongArray valueBits;
        private final AtomicLongArray rawValues;
        private final AtomicLongArray seenAtMs;

        private Table(DbcDatabase db) {
            this.db = db;
            int n = db.signals().size();
            valueBits = new AtomicLongArray(n);
            rawValues = new AtomicLongArray(n);
            seenAtMs = new AtomicLongArray(n);
        }

        public void update(Signal s, long raw, double value, long atMs) {
            int i = s.index();
            valueBits.lazySet(i, Double.doubleToRawLongBits(value));
            rawValues.lazySet(i, raw);
            seenAtMs.set(i, atMs); // written last: a reader that sees the time sees the value
        }

        Optional<Reading> read(String name) {
            Signal s = db.signal(name);
            if (s == null) return Optional.empty();
            long at = seenAtMs.get(s.index());
            if (at == 0) return Optional.empty();
            double v = Double.longBitsToDouble(valueBits.get(s.index()));
            return Optional.of(new Reading(v, s.label(rawValues.get(s.index())), at));
        }
    }

    private final List<Table> tables;

    public LastKnownValues(List<DbcDatabase> databases) {
        this.tables = databases.stream().map(Table::new).toList();
    }

    /** The table of a database passed to the constructor. */
    public Table table(DbcDatabase db) {
        for (Table t : tables) if (t.db == db) return t;
        throw new IllegalArgumentException("database not registered with LastKnownValues");
    }

    @Override public Optional<Reading> latest(String signalName) {
        Optional<Reading> best = Optional.empty();
        for (Table t : tables) {
            Optional<Reading> r = t.read(signalName);
            if (r.isPresent() && (best.isEmpty() || r.get().atMs() > best.get().atMs())) best = r;
        }
        return best;
    }
}
