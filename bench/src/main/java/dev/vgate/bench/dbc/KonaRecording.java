package dev.vgate.bench.dbc;

import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CandumpFormat;
import dev.vgate.canbus.CandumpParseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The largest real recording (Kona EV 2019, P-CAN + C-CAN), pre-parsed into flat arrays so the benchmark measures decoding only. */
final class KonaRecording {
    static final String LOG = "logs/kona_ev_2019_pcan_ccan/kona_ev_2019_pcan_ccan.candump.log";
    static final String PCAN_DBC = "dbc/kona-ev-dbc/pcan.dbc";
    static final String CCAN_DBC = "dbc/opendbc-generated/hyundai_can_generated.dbc";

    final int[] ids;
    final boolean[] extended;
    final byte[][] data;
    final int[] lengths;
    /** 0 = can0 (P-CAN), 1 = can1 (C-CAN). */
    final int[] bus;

    private KonaRecording(int n) {
        ids = new int[n];
        extended = new boolean[n];
        data = new byte[n][];
        lengths = new int[n];
        bus = new int[n];
    }

    /** ../shared/data, or -Dvgate.shared.data / $VGATE_SHARED_DATA. */
    static Path sharedData() {
        String p = System.getProperty("vgate.shared.data", System.getenv().getOrDefault("VGATE_SHARED_DATA", "../shared/data"));
        Path dir = Path.of(p);
        if (!Files.isDirectory(dir.resolve("logs"))) {
            throw new IllegalStateException("real data not found at " + dir.toAbsolutePath() + " (set -Dvgate.shared.data or VGATE_SHARED_DATA)");
        }
        return dir;
    }

    static KonaRecording load(Path sharedData) throws IOException, CandumpParseException {
        List<String> lines = Files.readAllLines(sharedData.resolve(LOG), StandardCharsets.US_ASCII);
        KonaRecording r = new KonaRecording(lines.size());
        CanFrame f = new CanFrame();
        for (int k = 0; k < lines.size(); k++) {
            CandumpFormat.parseLogLine(lines.get(k), f);
            r.ids[k] = f.id();
            r.extended[k] = f.isExtended();
            r.data[k] = f.payload();
            r.lengths[k] = f.length();
            r.bus[k] = f.iface().equals("can0") ? 0 : 1;
        }
        return r;
    }

    int size() { return ids.length; }
}
