package dev.vgate.trust;

import java.nio.charset.StandardCharsets;

/**
 * Domain separation: each kind of signed artifact signs its bytes behind its own prefix, so a signature
 * made for one kind can never be replayed as another (a manifest as a configuration update, say), even by
 * a key that holds both roles. Commands sign the serialized Command as is (their format predates this).
 */
public final class SigningContext {
    private SigningContext() {}

    /** OTA manifests (dev.vgate.ota.manifest.ManifestCodec). */
    public static final String OTA_MANIFEST = "vgate-ota-manifest-v1";
    /** Configuration updates (rules, collection policies, DBCs): {@code kind} names which, e.g. "rules". */
    public static final String CONFIG_UPDATE = "vgate-config-update-v1";

    /** {@code context || 0x00 || body}: the bytes a signature covers. */
    public static byte[] bytes(String context, byte[] body) {
        byte[] c = context.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[c.length + 1 + body.length];
        System.arraycopy(c, 0, out, 0, c.length);
        System.arraycopy(body, 0, out, c.length + 1, body.length);
        return out;
    }

    /** What a configuration update of {@code kind} ("rules", "collection-policy", "dbc") signs. */
    public static byte[] config(String kind, byte[] body) {
        return bytes(CONFIG_UPDATE + "/" + kind, body);
    }
}
