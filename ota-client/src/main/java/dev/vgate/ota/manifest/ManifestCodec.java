package dev.vgate.ota.manifest;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import dev.vgate.ota.OtaException;
import dev.vgate.protocol.ota.Artifact;
import dev.vgate.protocol.ota.ImageRef;
import dev.vgate.protocol.ota.Manifest;
import dev.vgate.protocol.ota.SignedManifest;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

import static dev.vgate.ota.OtaException.Reason.MALFORMED_MANIFEST;

/**
 * Parses and validates the manifest envelope and the manifest inside it. Everything read from the wire is
 * bounded: the envelope size, the recursion depth, every list and string. A manifest that parses is
 * structurally sound (hash lengths, sizes, versions, URLs) but NOT trusted: only a {@link ManifestVerifier}
 * turns it into a {@link VerifiedManifest}.
 */
public final class ManifestCodec {
    /** Domain separation: a signature over a manifest can never be replayed as a signature over a command. */
    public static final byte[] SIGNING_CONTEXT = "vgate-ota-manifest-v1\0".getBytes(StandardCharsets.US_ASCII);
    public static final int MAX_ENVELOPE_BYTES = 64 * 1024;

    /**
     * A manifest envelope file, at most one byte over {@link #MAX_ENVELOPE_BYTES} (which parsing then refuses
     * as too large): {@code --manifest /dev/zero} costs 64 KiB, not the heap.
     */
    public static byte[] readEnvelope(java.nio.file.Path file) throws java.io.IOException {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            return in.readNBytes(MAX_ENVELOPE_BYTES + 1);
        }
    }
    static final int MAX_URLS = 8, MAX_HARDWARE = 64, MAX_STRING = 2048, MAX_ROOT_SIGNATURES = 16;

    private ManifestCodec() {}

    public static SignedManifest parseEnvelope(byte[] bytes) throws OtaException {
        if (bytes.length > MAX_ENVELOPE_BYTES)
            throw new OtaException(MALFORMED_MANIFEST, "manifest envelope is " + bytes.length + " bytes, more than " + MAX_ENVELOPE_BYTES);
        SignedManifest env;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(8);
            env = SignedManifest.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (java.io.IOException e) {
            throw new OtaException(MALFORMED_MANIFEST, "manifest envelope is not a SignedManifest protobuf: " + e.getMessage(), e);
        }
        if (env.getManifest().isEmpty()) throw new OtaException(MALFORMED_MANIFEST, "envelope carries no manifest");
        if (env.getKeyId().isEmpty() || env.getKeyId().length() > 128) throw new OtaException(MALFORMED_MANIFEST, "envelope key_id is empty or longer than 128");
        if ("ed25519".equals(env.getAlgorithm())) {
            if (env.getSignature().size() != 64) throw new OtaException(MALFORMED_MANIFEST, "ed25519 signature must be 64 bytes, got " + env.getSignature().size());
        } else if ("p256".equals(env.getAlgorithm())) {
            if (env.getSignature().size() < 8 || env.getSignature().size() > 72)
                throw new OtaException(MALFORMED_MANIFEST, "p256 signature (DER) must be 8..72 bytes, got " + env.getSignature().size());
        } else {
            throw new OtaException(MALFORMED_MANIFEST, "unsupported signature algorithm \"" + clip(env.getAlgorithm()) + "\" (ed25519 or p256)");
        }
        if (env.getRootSignaturesCount() > MAX_ROOT_SIGNATURES)
            throw new OtaException(MALFORMED_MANIFEST, env.getRootSignaturesCount() + " root signatures, at most " + MAX_ROOT_SIGNATURES);
        return env;
    }

    /** Parses and validates the manifest bytes of an envelope. */
    public static Manifest parseManifest(ByteString bytes) throws OtaException {
        Manifest m;
        try {
            CodedInputStream in = bytes.newCodedInput();
            in.setRecursionLimit(8);
            m = Manifest.parseFrom(in);
        } catch (java.io.IOException e) {
            throw new OtaException(MALFORMED_MANIFEST, "manifest is not a Manifest protobuf: " + e.getMessage(), e);
        }
        validate(m);
        return m;
    }

    static void validate(Manifest m) throws OtaException {
        if (m.getFormatVersion() != 1) throw new OtaException(MALFORMED_MANIFEST, "manifest format_version " + m.getFormatVersion() + " is not supported (expected 1)");
        try {
            Version.parse(m.getTargetVersion());
        } catch (IllegalArgumentException e) {
            throw new OtaException(MALFORMED_MANIFEST, "target_version: " + e.getMessage());
        }
        if (m.getCompatibleHardwareCount() == 0 || m.getCompatibleHardwareCount() > MAX_HARDWARE)
            throw new OtaException(MALFORMED_MANIFEST, "compatible_hardware must list 1.." + MAX_HARDWARE + " ids, has " + m.getCompatibleHardwareCount());
        for (String hw : m.getCompatibleHardwareList())
            if (hw.isEmpty() || hw.length() > 128) throw new OtaException(MALFORMED_MANIFEST, "compatible_hardware entry is empty or longer than 128");
        image("base_image", m.hasBaseImage(), m.getBaseImage());
        image("target_image", m.hasTargetImage(), m.getTargetImage());
        if (!m.hasPatch()) throw new OtaException(MALFORMED_MANIFEST, "manifest has no patch");
        artifact("patch", m.getPatch());
        if (m.hasFullImage()) {
            artifact("full_image", m.getFullImage());
            if (m.getFullImage().getSize() != m.getTargetImage().getSize() || !m.getFullImage().getSha256().equals(m.getTargetImage().getSha256()))
                throw new OtaException(MALFORMED_MANIFEST, "full_image must be the target image (same size and SHA-256)");
        }
    }

    private static void image(String field, boolean present, ImageRef ref) throws OtaException {
        if (!present) throw new OtaException(MALFORMED_MANIFEST, "manifest has no " + field);
        if (ref.getSize() <= 0) throw new OtaException(MALFORMED_MANIFEST, field + ".size must be positive");
        if (ref.getSha256().size() != 32) throw new OtaException(MALFORMED_MANIFEST, field + ".sha256 must be 32 bytes, got " + ref.getSha256().size());
    }

    private static void artifact(String field, Artifact a) throws OtaException {
        if (a.getSize() <= 0) throw new OtaException(MALFORMED_MANIFEST, field + ".size must be positive");
        if (a.getSha256().size() != 32) throw new OtaException(MALFORMED_MANIFEST, field + ".sha256 must be 32 bytes, got " + a.getSha256().size());
        if (a.getUrlsCount() > MAX_URLS) throw new OtaException(MALFORMED_MANIFEST, field + " lists " + a.getUrlsCount() + " URLs, at most " + MAX_URLS);
        for (String u : a.getUrlsList()) {
            if (u.length() > MAX_STRING) throw new OtaException(MALFORMED_MANIFEST, field + " URL longer than " + MAX_STRING);
            try {
                URI uri = new URI(u);
                String s = uri.getScheme();
                if (s == null || !(s.equals("https") || s.equals("http")) || uri.getHost() == null)
                    throw new OtaException(MALFORMED_MANIFEST, field + " URL \"" + clip(u) + "\" is not an absolute http(s) URL");
            } catch (URISyntaxException e) {
                throw new OtaException(MALFORMED_MANIFEST, field + " URL \"" + clip(u) + "\" is malformed: " + e.getReason());
            }
        }
    }

    /** An untrusted string from a manifest, made safe to print (escaped, at most 40 characters). */
    static String clip(String s) { return dev.vgate.input.Untrusted.escape(s, 40); }

    /** The bytes a manifest signature (Ed25519 or P-256) covers: the domain-separation prefix, then the manifest. */
    public static byte[] signedBytes(ByteString manifest) {
        byte[] out = new byte[SIGNING_CONTEXT.length + manifest.size()];
        System.arraycopy(SIGNING_CONTEXT, 0, out, 0, SIGNING_CONTEXT.length);
        manifest.copyTo(out, SIGNING_CONTEXT.length);
        return out;
    }
}
