package dev.vgate.buffer.testing;

import dev.vgate.buffer.pack.BusDatabases;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CandumpFormat;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DecodeStatus;
import dev.vgate.dbc.FrameDecoder;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real Kona EV 2019 P-CAN/C-CAN recording and its DBCs from ../shared/data (tests skip without it). */
public final class KonaRecording {
    public record Sample(long t, String bus, String message, String signal, long raw) {
        public String key() { return bus + " " + message + "." + signal; }
    }

    public final Path log;
    public final BusDatabases databases;

    private KonaRecording(Path log, BusDatabases databases) {
        this.log = log;
        this.databases = databases;
    }

    public static KonaRecording load() throws Exception {
        String prop = System.getProperty("vgate.shared.data");
        Path root = prop == null ? null : Path.of(prop);
        assumeTrue(root != null && Files.isDirectory(root.resolve("logs")), "shared data not found (vgate.shared.data=" + prop + "); skipping real-recording test");
        Path log = root.resolve("logs/kona_ev_2019_pcan_ccan/kona_ev_2019_pcan_ccan.candump.log");
        assumeTrue(Files.exists(log), "missing " + log);
        BusDatabases dbs = new BusDatabases()
                .put("can0", DbcDatabase.load(root.resolve("dbc/cantools-compat/kona_pcan.cantools-compat.dbc")))
                .put("can1", DbcDatabase.load(root.resolve("dbc/cantools-compat/hyundai_can_generated.cantools-compat.dbc")));
        return new KonaRecording(log, dbs);
    }

    public BufferedReader reader() throws Exception { return Files.newBufferedReader(log, StandardCharsets.UTF_8); }

    /** Every sample the DBCs decode, straight from the decoder (no buffer involved). */
    public List<Sample> decodeAll() throws Exception {
        List<Sample> out = new ArrayList<>();
        Map<String, FrameDecoder> decoders = new HashMap<>();
        CanFrame f = new CanFrame();
        try (BufferedReader r = reader()) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                CandumpFormat.parseLogLine(line, f);
                DbcDatabase db = databases.forBus(f.iface());
                if (db == null) continue;
                FrameDecoder d = decoders.computeIfAbsent(f.iface(), k -> db.newDecoder());
                long t = f.timestampNanos() / 1000;
                String bus = f.iface();
                DecodeStatus st = d.decode(f.id(), f.isExtended(), f.data(), f.length(),
                        (sig, raw, value) -> out.add(new Sample(t, bus, sig.message().name(), sig.name(), raw)));
                assert st != null;
            }
        }
        return out;
    }
}
