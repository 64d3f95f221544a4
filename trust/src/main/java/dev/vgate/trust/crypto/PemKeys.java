package dev.vgate.trust.crypto;

import dev.vgate.trust.AtomicFiles;
import dev.vgate.input.Untrusted;

import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Reads and writes keys as PEM: "PUBLIC KEY" (SubjectPublicKeyInfo) and "PRIVATE KEY" (PKCS#8). */
public final class PemKeys {
    private PemKeys() {}

    public static String publicPem(PublicKey key) { return pem("PUBLIC KEY", key.encoded()); }

    public static String privatePem(PrivateKey key) { return pem("PRIVATE KEY", key.pkcs8()); }

    public static PublicKey parsePublic(String pem, String where) throws KeyFormatException {
        return PublicKey.fromDer(block(pem, "PUBLIC KEY", where));
    }

    public static PrivateKey parsePrivate(String pem, String where) throws KeyFormatException {
        return PrivateKey.fromPkcs8(block(pem, "PRIVATE KEY", where));
    }

    public static PublicKey readPublic(Path file) throws KeyFormatException {
        return parsePublic(read(file), file.toString());
    }

    /**
     * A private key named the way every vgate signer takes it: "DIR/KEYID" reads DIR/KEYID.pem (as
     * {@code vgate keys gen} writes it); a path to an existing file is read as is.
     */
    public static PrivateKey readPrivateRef(String ref) throws KeyFormatException {
        Path p = Path.of(ref);
        if (!Files.isRegularFile(p)) p = Path.of(ref + ".pem");
        return readPrivate(p);
    }

    /** The key id a reference names: its file name without ".pem" (DIR/release-1 and DIR/release-1.pem are "release-1"). */
    public static String keyIdOf(String ref) {
        String name = Path.of(ref).getFileName().toString();
        return name.endsWith(".pem") ? name.substring(0, name.length() - 4) : name;
    }

    public static PrivateKey readPrivate(Path file) throws KeyFormatException {
        return parsePrivate(read(file), file.toString());
    }

    /**
     * Creates the private key file: mode 0600 from the first byte (never wider, whatever the umask), never replacing a
     * file and never following a symlink at the path ({@link AtomicFiles#createNew}). {@code force} replaces whatever
     * is at the path (a link itself, never its target) atomically instead.
     */
    public static void writePrivate(Path file, PrivateKey key, boolean force) throws IOException {
        writeNew(file, privatePem(key), AtomicFiles.PRIVATE, force);
    }

    /** The public half: created the same way (no symlinks, no silent overwrite), mode 0644 at most. */
    public static void writePublic(Path file, PublicKey key, boolean force) throws IOException {
        writeNew(file, publicPem(key), AtomicFiles.PUBLIC, force);
    }

    /** As {@link #writePublic(Path, PublicKey, boolean)} without force. */
    public static void writePublic(Path file, PublicKey key) throws IOException { writePublic(file, key, false); }

    /** As {@link #writePrivate(Path, PrivateKey, boolean)} without force. */
    public static void writePrivate(Path file, PrivateKey key) throws IOException { writePrivate(file, key, false); }

    /** Writes a small text file that must not exist yet (unless {@code force}), mode at most {@code perms}. */
    public static void writeNew(Path file, String text, Set<PosixFilePermission> perms, boolean force) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (force) {
            AtomicFiles.replace(file, bytes, perms);
            return;
        }
        try {
            AtomicFiles.createNew(file, bytes, perms);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(file.toString(), null, "exists (or is a link); refusing to overwrite a key file without --force");
        }
    }

    /** PEM files are small: a key path to /dev/zero or a huge file is refused, not read into memory. */
    static final int MAX_PEM_BYTES = 64 * 1024;

    private static String read(Path file) throws KeyFormatException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(MAX_PEM_BYTES + 1);
            if (b.length > MAX_PEM_BYTES) throw new KeyFormatException("key file " + Untrusted.escape(file.toString()) + " is larger than " + MAX_PEM_BYTES + " bytes");
            return new String(b, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            // the path comes from the trust file (or a key-set update): printed escaped, on one line
            throw new KeyFormatException("cannot read key file " + Untrusted.escape(file.toString()) + ": " + Untrusted.escape(String.valueOf(e.getMessage())), e);
        }
    }

    private static byte[] block(String pem, String type, String where) throws KeyFormatException {
        try (PemReader r = new PemReader(new StringReader(pem))) {
            PemObject o = r.readPemObject();
            if (o == null) throw new KeyFormatException(where + ": no PEM block found");
            if (!type.equals(o.getType())) {
                throw new KeyFormatException(where + ": PEM block is '" + o.getType() + "', expected '" + type + "'");
            }
            return o.getContent();
        } catch (IOException | RuntimeException e) {
            throw new KeyFormatException(where + ": invalid PEM: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        StringWriter sw = new StringWriter();
        try (PemWriter w = new PemWriter(sw)) {
            w.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new IllegalStateException(e); // StringWriter does not fail
        }
        return sw.toString();
    }
}
