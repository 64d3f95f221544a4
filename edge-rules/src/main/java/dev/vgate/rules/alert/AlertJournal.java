package dev.vgate.rules.alert;

import org.tinylog.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Alerts the broker has not acknowledged yet, in an append-only file that survives restarts and power loss.
 * One line per change, each with a CRC-32 so a line torn by a power cut is recognised and skipped:
 * <pre>
 *   A &lt;seq&gt; &lt;crc32 hex of the json&gt; &lt;alert json&gt;     an alert (fsynced before append returns)
 *   K &lt;seq&gt;                                     acknowledged by the broker (not fsynced: a lost
 *                                                 acknowledgement only sends the alert twice)
 * </pre>
 * The file is rewritten with only the pending alerts when it is opened and when acknowledged lines pile up.
 * Thread-safe; in vgate only the {@link AlertOutbox}'s thread writes it.
 */
public final class AlertJournal implements AutoCloseable {
    /** One pending alert. */
    public record Entry(long seq, String json) {}

    private static final int COMPACT_AFTER_ACKS = 1024;

    private final Path file;
    private final int compactAfterAcks;
    private final Map<Long, String> pending = new LinkedHashMap<>();
    private FileChannel out;
    private long nextSeq = 1;
    private int deadLines;

    private AlertJournal(Path file, int compactAfterAcks) {
        this.file = file;
        this.compactAfterAcks = compactAfterAcks;
    }

    /** Opens (or creates) the journal, reading the alerts still pending from an earlier run. */
    public static AlertJournal open(Path file) throws AlertStoreException {
        return open(file, COMPACT_AFTER_ACKS);
    }

    /** As {@link #open(Path)}, rewriting the file after {@code compactAfterAcks} acknowledgements (tests). */
    static AlertJournal open(Path file, int compactAfterAcks) throws AlertStoreException {
        AlertJournal j = new AlertJournal(file, compactAfterAcks);
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) Files.createDirectories(dir);
            if (Files.exists(file)) j.read();
            j.rewrite();
        } catch (IOException e) {
            throw new AlertStoreException("alert journal " + file + ": cannot open: " + reason(e), e);
        }
        if (!j.pending.isEmpty()) Logger.info("alert journal {}: {} alert(s) from an earlier run not yet acknowledged", file, j.pending.size());
        return j;
    }

    /** Stores an alert durably (fsynced) and returns its sequence number. */
    public synchronized long append(String json) throws AlertStoreException {
        if (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) throw new IllegalArgumentException("alert json must be one line: " + json);
        long seq = nextSeq++;
        try {
            write("A " + seq + ' ' + crc(json) + ' ' + json + '\n', true);
        } catch (IOException e) {
            throw new AlertStoreException("alert journal " + file + ": storing alert " + seq + " failed: " + reason(e), e);
        }
        pending.put(seq, json);
        return seq;
    }

    /** Marks an alert as acknowledged by the broker; unknown sequence numbers are ignored. */
    public synchronized void acknowledge(long seq) throws AlertStoreException {
        if (pending.remove(seq) == null) return;
        try {
            deadLines++;
            if (pending.isEmpty() || deadLines >= compactAfterAcks) rewrite();
            else write("K " + seq + '\n', false);
        } catch (IOException e) {
            throw new AlertStoreException("alert journal " + file + ": acknowledging alert " + seq + " failed: " + reason(e), e);
        }
    }

    /** The alerts not yet acknowledged, oldest first. */
    public synchronized List<Entry> pending() {
        List<Entry> out = new ArrayList<>(pending.size());
        pending.forEach((seq, json) -> out.add(new Entry(seq, json)));
        return out;
    }

    public synchronized int pendingCount() { return pending.size(); }

    public Path file() { return file; }

    @Override public synchronized void close() {
        try {
            if (out != null) out.close();
        } catch (IOException e) {
            Logger.warn("alert journal {}: close: {}", file, e.getMessage());
        }
        out = null;
    }

    private void read() throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        byte[] all = Files.readAllBytes(file);
        boolean tornTail = all.length > 0 && all[all.length - 1] != '\n';
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isEmpty()) continue;
            if (!readLine(line)) {
                if (tornTail && n == lines.size() - 1) Logger.warn("alert journal {}: last line cut off (power loss while writing?); skipped", file);
                else Logger.error("alert journal {}: line {} is damaged and skipped: {}", file, n + 1, line);
            }
        }
    }

    private boolean readLine(String line) {
        try {
            if (line.startsWith("K ")) {
                pending.remove(Long.parseLong(line.substring(2).trim()));
                return true;
            }
            if (!line.startsWith("A ")) return false;
            int s1 = line.indexOf(' ', 2);
            int s2 = s1 < 0 ? -1 : line.indexOf(' ', s1 + 1);
            if (s2 < 0) return false;
            long seq = Long.parseLong(line.substring(2, s1));
            String json = line.substring(s2 + 1);
            if (!line.substring(s1 + 1, s2).equals(crc(json))) return false;
            pending.put(seq, json);
            nextSeq = Math.max(nextSeq, seq + 1);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Writes the pending alerts to a new file and moves it over the old one (atomic, fsynced). */
    private void rewrite() throws IOException {
        if (out != null) out.close();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        StringBuilder sb = new StringBuilder();
        pending.forEach((seq, json) -> sb.append("A ").append(seq).append(' ').append(crc(json)).append(' ').append(json).append('\n'));
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) c.write(b);
            c.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();
        out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        deadLines = 0;
    }

    private void write(String line, boolean sync) throws IOException {
        if (out == null) throw new IOException("journal is closed");
        ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) out.write(b);
        if (sync) out.force(false);
    }

    private void syncDirectory() {
        Path dir = file.toAbsolutePath().getParent();
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            Logger.debug("alert journal: fsync of {} not possible: {}", dir, e.getMessage()); // some file systems refuse
        }
    }

    /** File-system errors carry only a path as their message: say what happened to it. */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f) {
            String what = f instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : f instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                    : f instanceof java.nio.file.FileAlreadyExistsException ? "a file is in the way"
                    : f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
            return what + " (" + f.getFile() + ")";
        }
        return e.getMessage();
    }

    private static String crc(String json) {
        CRC32 c = new CRC32();
        c.update(json.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", c.getValue());
    }
}
