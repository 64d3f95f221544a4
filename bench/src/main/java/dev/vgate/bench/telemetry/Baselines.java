package dev.vgate.bench.telemetry;

import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** The encodings vgate's batches are compared with, each over the same decoded samples. */
final class Baselines {
    private Baselines() {}

    /** (a) one protobuf message per sample {uint32 signal_id=1; int64 t_us=2; double value=3}, length-delimited. */
    static long plainProtobuf(List<Recording.Sample> samples) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bos);
        for (Recording.Sample s : samples) {
            int id = s.signal().index();
            int size = CodedOutputStream.computeUInt32Size(1, id) + CodedOutputStream.computeInt64Size(2, s.tUs()) + CodedOutputStream.computeDoubleSize(3, s.value());
            out.writeUInt32NoTag(size);
            out.writeUInt32(1, id);
            out.writeInt64(2, s.tUs());
            out.writeDouble(3, s.value());
        }
        out.flush();
        return bos.size();
    }

    /** (b) per signal, the list of changes [dt_us, dvalue] (only when the value changes), as JSON, gzip -9. */
    static long jsonGzipChangeLists(List<Recording.Sample> samples) throws IOException {
        Map<String, List<Recording.Sample>> bySignal = bySignal(samples);
        StringBuilder json = new StringBuilder("[");
        for (Map.Entry<String, List<Recording.Sample>> e : bySignal.entrySet()) {
            List<Recording.Sample> l = e.getValue();
            Recording.Sample first = l.get(0);
            json.append("{\"signal\":\"").append(e.getKey()).append("\",\"t0\":").append(first.tUs()).append(",\"v0\":").append(num(first.value())).append(",\"changes\":[");
            long lastT = first.tUs();
            double lastV = first.value();
            boolean comma = false;
            for (int i = 1; i < l.size(); i++) {
                Recording.Sample s = l.get(i);
                if (Double.compare(s.value(), lastV) == 0) continue;
                if (comma) json.append(',');
                json.append('[').append(s.tUs() - lastT).append(',').append(num(s.value() - lastV)).append(']');
                comma = true;
                lastT = s.tUs();
                lastV = s.value();
            }
            json.append("]},");
        }
        json.setLength(json.length() - 1);
        json.append(']');
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos) {{ def.setLevel(9); }}) {
            gz.write(json.toString().getBytes(StandardCharsets.UTF_8));
        }
        return bos.size();
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** (c) Gorilla (Pelkonen et al. 2015): per signal, bit-packed delta-of-delta timestamps and XOR'd doubles. */
    static long gorilla(List<Recording.Sample> samples) {
        long bits = 0;
        for (List<Recording.Sample> l : bySignal(samples).values()) {
            Bits b = new Bits();
            b.put(l.get(0).tUs(), 64);
            long prevT = l.get(0).tUs(), prevDelta = 0;
            long prevV = Double.doubleToRawLongBits(l.get(0).value());
            b.put(prevV, 64);
            int lead = -1, trail = 0;
            for (int i = 1; i < l.size(); i++) {
                long t = l.get(i).tUs();
                long delta = t - prevT;
                long dod = delta - prevDelta;
                prevT = t;
                prevDelta = delta;
                if (dod == 0) b.put(0, 1);
                else if (dod >= -63 && dod <= 64) { b.put(0b10, 2); b.put(dod, 7); }
                else if (dod >= -255 && dod <= 256) { b.put(0b110, 3); b.put(dod, 9); }
                else if (dod >= -2047 && dod <= 2048) { b.put(0b1110, 4); b.put(dod, 12); }
                else { b.put(0b1111, 4); b.put(dod, 32); }
                long v = Double.doubleToRawLongBits(l.get(i).value());
                long x = v ^ prevV;
                prevV = v;
                if (x == 0) { b.put(0, 1); continue; }
                int lz = Math.min(31, Long.numberOfLeadingZeros(x));
                int tz = Long.numberOfTrailingZeros(x);
                if (lead >= 0 && lz >= lead && tz >= trail) {
                    b.put(0b10, 2);
                    b.put(0, 64 - lead - trail);
                } else {
                    b.put(0b11, 2);
                    b.put(lz, 5);
                    b.put(64 - lz - tz, 6);
                    b.put(0, 64 - lz - tz);
                    lead = lz;
                    trail = tz;
                }
            }
            bits += b.n + 32; // + a 4-byte signal id per series
        }
        return (bits + 7) / 8;
    }

    /** Counts bits (the values themselves do not matter for the size). */
    private static final class Bits {
        long n;

        void put(long value, int count) { n += count; }
    }

    /** (d) the candump -L text of the frames that decoded, compressed with the xz tool at -9e. */
    static long candumpXz(String decodableLines, Path tmp) throws IOException, InterruptedException {
        Path f = tmp.resolve("decodable.log");
        Files.writeString(f, decodableLines, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("xz", "-9e", "-c", f.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long n = 0;
        try (var in = p.getInputStream()) {
            byte[] buf = new byte[65536];
            int r;
            while ((r = in.read(buf)) > 0) n += r;
        }
        if (p.waitFor() != 0) throw new IOException("xz failed (is it installed?)");
        return n;
    }

    static Map<String, List<Recording.Sample>> bySignal(List<Recording.Sample> samples) {
        Map<String, List<Recording.Sample>> m = new LinkedHashMap<>();
        for (Recording.Sample s : samples) m.computeIfAbsent(s.bus() + " " + s.signal().message().name() + "." + s.signal().name(), k -> new ArrayList<>()).add(s);
        return m;
    }

    static OutputStream nullStream() { return OutputStream.nullOutputStream(); }
}
