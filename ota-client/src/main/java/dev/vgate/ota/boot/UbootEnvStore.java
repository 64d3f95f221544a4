package dev.vgate.ota.boot;

import dev.vgate.ota.OtaException;
import org.tinylog.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.vgate.ota.OtaException.Reason.BOOT_CONTROL;

/**
 * Reads and writes a U-Boot environment in files or block devices described by an {@link FwEnvConfig}.
 * <p>
 * Redundant environments: the current copy is the valid one, or of two valid copies the one whose flag is
 * newer (incrementing flags, 255 → 0 wraps; on the {@link FlagScheme#ACTIVE_OBSOLETE} scheme the one marked
 * active). A write goes to the other copy with the next flag and is fsynced; until it is complete its CRC
 * fails, so a power cut leaves the previous copy current. A copy with a bad CRC is never used.
 * A single environment is rewritten in place (not power-cut safe: use a redundant one on vehicles).
 */
public final class UbootEnvStore {
    /** How the flag byte marks the current copy. Files and block devices increment it; NOR flash uses 1/0. */
    public enum FlagScheme { INCREMENTAL, ACTIVE_OBSOLETE }

    static final byte ACTIVE = 1, OBSOLETE = 0;
    private final FwEnvConfig config;
    private final FlagScheme scheme;

    public UbootEnvStore(FwEnvConfig config) { this(config, FlagScheme.INCREMENTAL); }

    public UbootEnvStore(FwEnvConfig config, FlagScheme scheme) {
        this.config = config;
        this.scheme = scheme;
    }

    private record Loaded(int current, Map<String, String> vars, int flag) {}

    public Map<String, String> read() throws OtaException { return load().vars(); }

    /** Read, modify, write back as the new current copy. */
    public void update(java.util.function.Consumer<Map<String, String>> change) throws OtaException {
        Loaded l = load();
        Map<String, String> vars = new LinkedHashMap<>(l.vars());
        change.accept(vars);
        if (vars.equals(l.vars())) return;
        write(l, vars);
    }

    private Loaded load() throws OtaException {
        boolean red = config.redundant();
        byte[][] blocks = new byte[config.copies().size()][];
        Map<String, String>[] vars = newArray(blocks.length);
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = readBlock(config.copies().get(i));
            vars[i] = blocks[i] == null ? null : UbootEnvFormat.decode(blocks[i], red);
            if (blocks[i] != null && vars[i] == null) Logger.warn("uboot backend: copy {} ({}) has a bad CRC, ignored", i, config.copies().get(i).device());
        }
        if (!red) {
            if (vars[0] == null) throw new OtaException(BOOT_CONTROL, "uboot backend: environment at " + config.copies().get(0).device() + " has a bad CRC");
            return new Loaded(0, vars[0], 0);
        }
        int f0 = blocks[0] == null ? 0 : blocks[0][4] & 0xff, f1 = blocks[1] == null ? 0 : blocks[1][4] & 0xff;
        int cur;
        if (vars[0] == null && vars[1] == null) throw new OtaException(BOOT_CONTROL, "uboot backend: both environment copies have a bad CRC");
        else if (vars[0] == null) cur = 1;
        else if (vars[1] == null) cur = 0;
        else if (scheme == FlagScheme.ACTIVE_OBSOLETE) cur = f1 == ACTIVE && f0 != ACTIVE ? 1 : 0;
        else if (f0 == 255 && f1 == 0) cur = 1;
        else if (f1 == 255 && f0 == 0) cur = 0;
        else cur = f1 > f0 ? 1 : 0;
        return new Loaded(cur, vars[cur], cur == 0 ? f0 : f1);
    }

    private void write(Loaded l, Map<String, String> vars) throws OtaException {
        boolean red = config.redundant();
        byte[] block;
        try {
            vars.keySet().forEach(UbootEnvFormat::checkName);
            block = UbootEnvFormat.encode(vars, config.size(), red);
        } catch (IllegalArgumentException e) {
            throw new OtaException(BOOT_CONTROL, "uboot backend: " + e.getMessage(), e);
        }
        if (!red) {
            writeBlock(config.copies().get(0), block);
            return;
        }
        int target = 1 - l.current();
        block[4] = scheme == FlagScheme.INCREMENTAL ? (byte) (l.flag() + 1) : ACTIVE;
        writeBlock(config.copies().get(target), block);
        if (scheme == FlagScheme.ACTIVE_OBSOLETE) writeFlag(config.copies().get(l.current()), OBSOLETE);
    }

    private static byte[] readBlock(FwEnvConfig.Copy c) throws OtaException {
        try (FileChannel ch = FileChannel.open(c.device(), StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(c.size());
            while (b.hasRemaining()) if (ch.read(b, c.offset() + b.position()) < 0) return null;
            return b.array();
        } catch (IOException e) {
            throw new OtaException(BOOT_CONTROL, "uboot backend: cannot read " + c.device() + ": " + e.getMessage(), e);
        }
    }

    private static void writeBlock(FwEnvConfig.Copy c, byte[] block) throws OtaException {
        try (FileChannel ch = FileChannel.open(c.device(), StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            ByteBuffer b = ByteBuffer.wrap(block);
            while (b.hasRemaining()) ch.write(b, c.offset() + b.position());
            ch.force(true);
        } catch (IOException e) {
            throw new OtaException(BOOT_CONTROL, "uboot backend: cannot write " + c.device() + ": " + e.getMessage(), e);
        }
    }

    private static void writeFlag(FwEnvConfig.Copy c, byte flag) throws OtaException {
        try (FileChannel ch = FileChannel.open(c.device(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {flag}), c.offset() + 4);
            ch.force(true);
        } catch (IOException e) {
            throw new OtaException(BOOT_CONTROL, "uboot backend: cannot write flag of " + c.device() + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String>[] newArray(int n) { return (Map<String, String>[]) new Map<?, ?>[n]; }
}
