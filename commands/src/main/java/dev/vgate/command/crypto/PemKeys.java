package dev.vgate.command.crypto;

import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

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

    public static PrivateKey readPrivate(Path file) throws KeyFormatException {
        return parsePrivate(read(file), file.toString());
    }

    /** Writes the private key readable by the owner only (where the file system supports POSIX modes). */
    public static void writePrivate(Path file, PrivateKey key) throws IOException {
        Files.writeString(file, privatePem(key), StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: nothing more we can do here
        }
    }

    public static void writePublic(Path file, PublicKey key) throws IOException {
        Files.writeString(file, publicPem(key), StandardCharsets.US_ASCII);
    }

    private static String read(Path file) throws KeyFormatException {
        try {
            // a key file is a few hundred bytes; a path to /dev/zero must not take the heap
            return new String(dev.vgate.input.BoundedFiles.read(file, 64 * 1024), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new KeyFormatException("cannot read key file " + file + ": " + e.getMessage(), e);
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
