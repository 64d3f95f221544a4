package dev.vgate.rules;

import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DbcEncodeException;
import dev.vgate.dbc.Message;
import dev.vgate.dbc.Signal;

import java.util.Map;

/** What the rules need from a DBC database: names to signals and messages, and frame encoding. */
public interface RuleDbc {
    /** "Sig" (unique in the database) or "Msg.Sig"; null if unknown. */
    Signal signal(String name);

    Message message(String name);

    /** Size of the dense {@link Signal#index()} space. */
    int signalCount();

    byte[] encode(Message message, Map<String, ?> values) throws DbcEncodeException;

    /** The bus a {@code can} action with this message goes out on; null when there is only one (one DBC). */
    default String messageBus(String name) { return null; }

    /** The load error's reason when {@link #signal} returned null for {@code name}. */
    default String unknownSignal(String name) {
        return "unknown signal '" + name + "' (not in the DBC, or not unique: then write Message.Signal)";
    }

    /** The load error's reason when {@link #message} returned null for {@code name}. */
    default String unknownMessage(String name) { return "unknown message '" + name + "' (not in the DBC)"; }

    static RuleDbc of(DbcDatabase db) {
        return new RuleDbc() {
            @Override public Signal signal(String name) { return db.signal(name); }
            @Override public Message message(String name) { return db.messageByName(name); }
            @Override public int signalCount() { return db.signals().size(); }
            @Override public byte[] encode(Message message, Map<String, ?> values) throws DbcEncodeException {
                return db.encoder().encode(message, values);
            }
        };
    }
}
