package dev.vgate.agent.config;

import org.snakeyaml.engine.v2.nodes.ScalarNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Binds the {@code diag:} section (types and spelling; {@link DiagConfig#validate} checks the values). */
final class DiagConfigBinder {
    private DiagConfigBinder() {}

    static DiagConfig bind(YamlMap d, List<String> problems) {
        List<DiagConfig.Ecu> ecus = new ArrayList<>();
        for (YamlMap e : d.maps("ecus")) {
            ecus.add(new DiagConfig.Ecu(e.string("name"), e.integer("request_id", -1), e.integer("response_id", -1)));
            e.finish();
        }
        List<DiagConfig.DidDef> dids = new ArrayList<>();
        for (YamlMap x : d.maps("dids")) {
            dids.add(new DiagConfig.DidDef(x.integer("id", -1), x.string("name"), x.integer("length", -1),
                    x.string("type", "hex"), x.decimal("factor", 1), x.decimal("offset", 0), x.string("unit", "")));
            x.finish();
        }
        YamlMap t = d.map("isotp");
        DiagConfig.IsoTp isotp = DiagConfig.IsoTp.DEFAULT;
        if (t != null) {
            int padding = 0xCC;
            if (t.has("padding")) {
                String text = t.string("padding");
                if ("none".equals(text)) {
                    padding = -1;
                } else {
                    try {
                        padding = (int) ConfigValues.parseInteger(text);
                    } catch (NumberFormatException ex) {
                        t.problem("padding", "expected a byte such as 0xCC, or none");
                    }
                }
            }
            isotp = new DiagConfig.IsoTp(t.bool("fd", false), t.integer("tx_data_length", t.bool("fd", false) ? 64 : 8), padding,
                    t.integer("block_size", 0), t.integer("st_min", 0));
            t.finish();
        }
        YamlMap o = d.map("obd");
        DiagConfig.Obd obd = null;
        if (o != null) {
            List<Integer> pids = new ArrayList<>();
            for (Map.Entry<String, ScalarNode> item : o.scalarItems("pids")) {
                String text = item.getValue().getValue().trim().toLowerCase(Locale.ROOT);
                try {
                    // PIDs are written in hex as in SAE J1979: 0C, 0x0C
                    pids.add(Integer.parseInt(text.startsWith("0x") ? text.substring(2) : text, 16));
                } catch (NumberFormatException ex) {
                    problems.add(item.getKey() + ": expected a PID in hex such as 0C, got '" + item.getValue().getValue() + "'" + YamlMap.line(item.getValue()));
                }
            }
            obd = new DiagConfig.Obd(pids, o.duration("interval", DiagConfig.Obd.DEFAULT_INTERVAL), o.string("bus_name", DiagConfig.Obd.DEFAULT_BUS_NAME));
            o.finish();
        }
        YamlMap p = d.map("dtc");
        DiagConfig.DtcPoll dtc = null;
        if (p != null) {
            dtc = new DiagConfig.DtcPoll(p.duration("interval", DiagConfig.DtcPoll.DEFAULT_INTERVAL), p.integer("mask", 0xFF),
                    p.bool("freeze_frame", true));
            p.finish();
        }
        DiagConfig config = new DiagConfig(d.string("bus"), isotp, d.duration("p2", DiagConfig.DEFAULT_P2),
                d.duration("p2_star", DiagConfig.DEFAULT_P2_STAR), ecus, dids, obd, dtc);
        d.finish();
        return config;
    }
}
