package dev.vgate.agent.cli;

import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.agent.config.DiagConfig;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.agent.daemon.DiagPart;
import dev.vgate.diag.dtc.Dtc;
import dev.vgate.diag.isotp.ChannelIsoTpNetwork;
import dev.vgate.diag.isotp.IsoTpAddress;
import dev.vgate.diag.isotp.IsoTpException;
import dev.vgate.diag.isotp.IsoTpNetwork;
import dev.vgate.diag.isotp.IsoTpOptions;
import dev.vgate.diag.isotp.IsoTpTransport;
import dev.vgate.diag.isotp.KernelIsoTpNetwork;
import dev.vgate.diag.obd.ObdClient;
import dev.vgate.diag.uds.Did;
import dev.vgate.diag.uds.DidTable;
import dev.vgate.diag.uds.UdsClient;
import dev.vgate.diag.uds.UdsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code vgate diag ...}: a workshop tester on a CAN interface. UDS to one ECU (--tx/--rx) or OBD-II to all
 * (functional 0x7DF). Exit codes: 0 an ECU answered, 1 no ECU answered (or the transport failed),
 * 2 a negative response (its name printed).
 */
@Command(name = "diag", description = "Vehicle diagnostics: UDS and OBD-II over ISO-TP (kernel can-isotp).",
        mixinStandardHelpOptions = true,
        subcommands = {DiagCommand.Scan.class, DiagCommand.DtcCmd.class, DiagCommand.DidCmd.class, DiagCommand.ObdCmd.class})
public final class DiagCommand implements Runnable {
    public static final int EXIT_ANSWER = 0, EXIT_NO_ANSWER = 1, EXIT_NEGATIVE = 2;

    /** How the commands reach IFACE; tests swap in a virtual bus. */
    static Function<String, IsoTpNetwork> networks = KernelIsoTpNetwork::new;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** Interface and ISO-TP options shared by every subcommand. */
    static final class Link {
        @Parameters(index = "0", paramLabel = "IFACE", description = "CAN interface, e.g. can0 or vcan0") String iface;
        @Option(names = "--fd", description = "send CAN FD frames (64 data bytes)") boolean fd;
        @Option(names = "--padding", paramLabel = "BYTE|none", description = "fill byte of every frame (default CC)") String padding = "CC";
        @Option(names = "--p2", paramLabel = "MS", description = "answer timeout in ms (default 1000)") long p2 = 1000;
        @Option(names = "--user-space", description = "run ISO-TP in vgate over raw CAN sockets instead of the kernel's can-isotp")
        boolean userSpace;

        IsoTpNetwork network() {
            return userSpace ? ChannelIsoTpNetwork.onSocketCan(iface) : networks.apply(iface);
        }

        IsoTpOptions options() {
            int pad = padding.equalsIgnoreCase("none") ? -1 : Integer.parseInt(padding.replaceFirst("(?i)^0x", ""), 16);
            IsoTpOptions o = IsoTpOptions.DEFAULT.withPadding(pad);
            return fd ? o.withFd(64) : o;
        }

        UdsClient.Timing timing() {
            Duration d = Duration.ofMillis(p2);
            return UdsClient.Timing.DEFAULT.withP2(d, d.multipliedBy(5).compareTo(Duration.ofSeconds(5)) > 0 ? d.multipliedBy(5) : Duration.ofSeconds(5));
        }
    }

    /** One ECU's physical ids. */
    static final class Ecu {
        @Option(names = "--tx", required = true, paramLabel = "ID", description = "request id, hex (7E0)") String tx;
        @Option(names = "--rx", required = true, paramLabel = "ID", description = "response id, hex (7E8)") String rx;

        IsoTpAddress address() { return IsoTpAddress.of(hex(tx), hex(rx)); }
    }

    static int hex(String s) {
        try {
            return Integer.parseInt(s.trim().replaceFirst("(?i)^0x", ""), 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a hex number: '" + s + "'");
        }
    }

    /** Runs {@code body} against a UDS client; maps failures to the exit codes. */
    static int withUds(Link link, IsoTpAddress addr, DidTable dids, PrintWriter out, PrintWriter err, UdsBody body) throws IsoTpException {
        try (IsoTpTransport t = link.network().open(addr, link.options());
             UdsClient uds = new UdsClient(t, dids, link.timing())) {
            body.run(uds);
            return EXIT_ANSWER;
        } catch (UdsException e) {
            return failure(e, err);
        } finally {
            out.flush();
        }
    }

    static int failure(UdsException e, PrintWriter err) {
        err.println("vgate diag: " + e.getMessage());
        err.flush();
        return e.kind() == UdsException.Kind.NEGATIVE_RESPONSE ? EXIT_NEGATIVE : EXIT_NO_ANSWER;
    }

    @FunctionalInterface
    interface UdsBody {
        void run(UdsClient uds) throws UdsException;
    }

    // ------------------------------------------------------------------ scan

    @Command(name = "scan", mixinStandardHelpOptions = true,
            description = {"Which ECUs answer, with their VIN and software versions (DIDs F190, F188, F189).",
                    "ECUs from --config's diag.ecus, else the OBD range 7E0-7E7 -> 7E8-7EF."})
    static final class Scan implements Callable<Integer> {
        @Mixin Link link;
        @Option(names = "--config", paramLabel = "FILE", description = "take the ECUs and DIDs from this vgate configuration") Path config;
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            List<String[]> ecus = new ArrayList<>();
            DidTable dids = DidTable.standard();
            if (config != null) {
                VgateConfig c = ConfigLoader.load(config);
                if (c.diag() == null) throw new IllegalArgumentException(config + " has no diag section");
                for (DiagConfig.Ecu e : c.diag().ecus()) ecus.add(new String[] {e.name(), Integer.toHexString(e.requestId()), Integer.toHexString(e.responseId())});
                for (DiagConfig.DidDef d : c.diag().dids()) dids.add(DiagPart.did(d));
            } else {
                for (int i = 0; i < 8; i++) ecus.add(new String[] {null, Integer.toHexString(0x7E0 + i), Integer.toHexString(0x7E8 + i)});
            }
            int answered = 0;
            IsoTpNetwork net = link.network();
            for (String[] e : ecus) {
                IsoTpAddress a = IsoTpAddress.of(hex(e[1]), hex(e[2]));
                String label = (e[0] == null ? "" : e[0] + " ") + id(a.txId()) + "/" + id(a.rxId());
                try (IsoTpTransport t = net.open(a, link.options());
                     UdsClient uds = new UdsClient(t, dids, link.timing())) {
                    StringBuilder line = new StringBuilder(label);
                    boolean any = false;
                    for (int did : new int[] {0xF190, 0xF188, 0xF189}) {
                        Did d = dids.get(did);
                        try {
                            line.append(' ').append(d.name()).append('=').append(d.format(uds.readDid(did)));
                            any = true;
                        } catch (UdsException ex) {
                            if (ex.kind() != UdsException.Kind.NEGATIVE_RESPONSE) {
                                if (!any && ex.kind() == UdsException.Kind.NO_RESPONSE) break; // silent: no ECU here
                                line.append(' ').append(d.name()).append("=?");
                            } else {
                                any = true; // it answered, just not this DID
                                line.append(' ').append(d.name()).append("=(").append(ex.nrcName()).append(')');
                            }
                        }
                    }
                    if (any) {
                        answered++;
                        out.println(line);
                    } else {
                        out.println(label + " no answer");
                    }
                }
            }
            out.flush();
            return answered > 0 ? EXIT_ANSWER : EXIT_NO_ANSWER;
        }
    }

    static String id(int id) {
        return id > 0x7FF ? String.format(Locale.ROOT, "%08X", id) : String.format(Locale.ROOT, "%03X", id);
    }

    // ------------------------------------------------------------------ dtc

    @Command(name = "dtc", mixinStandardHelpOptions = true, description = "Read or clear an ECU's DTCs (UDS 0x19 / 0x14).",
            subcommands = {DtcCmd.Read.class, DtcCmd.Clear.class})
    static final class DtcCmd implements Runnable {
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

        @Command(name = "read", mixinStandardHelpOptions = true,
                description = {"One stored DTC per line: the code (P0A7E), status=0xNN and the status bits by name.",
                        "--freeze adds each DTC's snapshot records; --count prints only the number (0x19 0x01)."})
        static final class Read implements Callable<Integer> {
            @Mixin Link link;
            @Mixin Ecu ecu;
            @Option(names = "--mask", paramLabel = "HEX", description = "status mask (default FF)") String mask = "FF";
            @Option(names = "--freeze", description = "also read each DTC's freeze frame (0x19 0x04)") boolean freeze;
            @Option(names = "--extended", description = "also read each DTC's extended data (0x19 0x06)") boolean extended;
            @Option(names = "--count", description = "print only the number of matching DTCs (0x19 0x01)") boolean count;
            @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

            @Override public Integer call() throws Exception {
                PrintWriter out = spec.commandLine().getOut();
                int m = hex(mask);
                return withUds(link, ecu.address(), DidTable.standard(), out, spec.commandLine().getErr(), uds -> {
                    if (count) {
                        out.println(uds.readDtcCount(m).count());
                        return;
                    }
                    for (Dtc d : uds.readDtcs(m)) {
                        out.println(d.line());
                        if (freeze) {
                            for (UdsClient.Snapshot s : uds.readSnapshots(d.code(), 0xFF)) {
                                StringBuilder sb = new StringBuilder("  freeze #").append(s.record());
                                for (UdsClient.DidValue v : s.values()) sb.append(' ').append(v.text());
                                out.println(sb);
                            }
                        }
                        if (extended) {
                            for (Map.Entry<Integer, byte[]> x : uds.readExtendedData(d.code(), 0xFF).entrySet()) {
                                out.println("  extended #" + x.getKey() + " " + java.util.HexFormat.of().withUpperCase().formatHex(x.getValue()));
                            }
                        }
                    }
                });
            }
        }

        @Command(name = "clear", mixinStandardHelpOptions = true, description = "Clear an ECU's DTCs (0x14, group FFFFFF = all).")
        static final class Clear implements Callable<Integer> {
            @Mixin Link link;
            @Mixin Ecu ecu;
            @Option(names = "--group", paramLabel = "HEX", description = "group of DTC (default FFFFFF: all)") String group = "FFFFFF";
            @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

            @Override public Integer call() throws Exception {
                PrintWriter out = spec.commandLine().getOut();
                return withUds(link, ecu.address(), DidTable.standard(), out, spec.commandLine().getErr(), uds -> {
                    uds.clearDtcs(hex(group));
                    out.println("cleared");
                });
            }
        }
    }

    // ------------------------------------------------------------------ did

    @Command(name = "did", mixinStandardHelpOptions = true, description = "Read data identifiers (UDS 0x22).", subcommands = DidCmd.Read.class)
    static final class DidCmd implements Runnable {
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

        @Command(name = "read", mixinStandardHelpOptions = true,
                description = "Read DIDs; a known DID prints as text (F190: the VIN), others as hex: one line per DID.")
        static final class Read implements Callable<Integer> {
            @Mixin Link link;
            @Mixin Ecu ecu;
            @Parameters(index = "1..*", arity = "1..*", paramLabel = "DID", description = "hex, e.g. F190") List<String> dids;
            @Option(names = "--config", paramLabel = "FILE", description = "DID definitions from this vgate configuration") Path config;
            @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

            @Override public Integer call() throws Exception {
                PrintWriter out = spec.commandLine().getOut();
                DidTable table = DidTable.standard();
                if (config != null) {
                    VgateConfig c = ConfigLoader.load(config);
                    if (c.diag() != null) for (DiagConfig.DidDef d : c.diag().dids()) table.add(DiagPart.did(d));
                }
                List<Integer> ids = new ArrayList<>();
                for (String d : dids) ids.add(hex(d));
                return withUds(link, ecu.address(), table, out, spec.commandLine().getErr(), uds -> {
                    for (int id : ids) {
                        byte[] v = uds.readDid(id);
                        Did d = table.getOrHex(id);
                        // a single VIN read prints just the VIN, for scripts
                        out.println(ids.size() == 1 && id == 0xF190 ? d.format(v) : String.format(Locale.ROOT, "%04X %s %s", id, d.name(), d.format(v)));
                    }
                });
            }
        }
    }

    // ------------------------------------------------------------------ obd

    @Command(name = "obd", mixinStandardHelpOptions = true, description = "OBD-II (SAE J1979) to every ECU (functional 7DF, answers 7E8-7EF).",
            subcommands = {ObdCmd.Pids.class, ObdCmd.Read.class})
    static final class ObdCmd implements Runnable {
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

        static ObdClient client(Link link) throws IsoTpException {
            return new ObdClient(link.network(), link.options(), Duration.ofMillis(link.p2), Duration.ofMillis(100));
        }

        @Command(name = "pids", mixinStandardHelpOptions = true, description = "The mode 01 PIDs each ECU supports (PIDs 00, 20, 40, ...).")
        static final class Pids implements Callable<Integer> {
            @Mixin Link link;
            @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

            @Override public Integer call() throws Exception {
                PrintWriter out = spec.commandLine().getOut();
                try (ObdClient obd = client(link)) {
                    Map<Integer, BitSet> s = obd.supportedPids();
                    for (Map.Entry<Integer, BitSet> e : s.entrySet()) {
                        StringBuilder sb = new StringBuilder(id(e.getKey())).append(':');
                        e.getValue().stream().forEach(p -> sb.append(' ').append(String.format(Locale.ROOT, "%02X", p)));
                        out.println(sb);
                    }
                    out.flush();
                    return s.isEmpty() ? EXIT_NO_ANSWER : EXIT_ANSWER;
                }
            }
        }

        @Command(name = "read", mixinStandardHelpOptions = true,
                description = {"Read mode 01 PIDs: one line per PID with its name, value and unit (0C engine_rpm 1726.5 rpm);",
                        "the answering ECU is appended when several answer."})
        static final class Read implements Callable<Integer> {
            @Mixin Link link;
            @Parameters(index = "1..*", arity = "1..*", paramLabel = "PID", description = "hex, e.g. 0C 0D 05") List<String> pids;
            @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

            @Override public Integer call() throws Exception {
                PrintWriter out = spec.commandLine().getOut();
                int[] ps = pids.stream().mapToInt(DiagCommand::hex).toArray();
                try (ObdClient obd = client(link)) {
                    int answers = 0;
                    for (int p : ps) {
                        List<ObdClient.PidValue> v = obd.read(p);
                        for (ObdClient.PidValue x : v) out.println(x.line() + (v.size() > 1 ? " ecu=" + id(x.ecu()) : ""));
                        answers += v.size();
                    }
                    out.flush();
                    if (answers == 0) {
                        spec.commandLine().getErr().println("vgate diag: no ECU answered on " + link.iface);
                        spec.commandLine().getErr().flush();
                    }
                    return answers > 0 ? EXIT_ANSWER : EXIT_NO_ANSWER;
                }
            }
        }
    }
}
