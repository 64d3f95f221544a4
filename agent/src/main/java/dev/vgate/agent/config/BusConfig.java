package dev.vgate.agent.config;

import java.nio.file.Path;
import java.util.List;

/**
 * One CAN bus.
 *
 * @param name      vgate's name for the bus (telemetry and rules refer to it)
 * @param kind      socketcan, virtual or replay
 * @param iface     the SocketCAN interface or virtual bus name; for replay, the interface whose lines are
 *                  played (null: every line of the log)
 * @param log       replay only: the candump -L log file
 * @param loop      replay only: start over at the end of the log
 * @param speed     replay only: 1 plays the log in real time, 2 twice as fast (benchmarks, demos)
 * @param dbc       DBC files decoding this bus (at least one)
 * @param idFilter  identifiers to receive; empty receives everything
 */
public record BusConfig(String name, BusKind kind, String iface, Path log, boolean loop, double speed,
                        List<Path> dbc, List<IdRange> idFilter) {
    public BusConfig {
        dbc = dbc == null ? List.of() : List.copyOf(dbc);
        idFilter = idFilter == null ? List.of() : List.copyOf(idFilter);
    }

    /** Whether a frame with this identifier passes the bus's filter. */
    public boolean accepts(long id) {
        if (idFilter.isEmpty()) return true;
        for (IdRange r : idFilter) if (r.contains(id)) return true;
        return false;
    }
}
