package dev.vgate.ota.manifest;

import dev.vgate.ota.OtaException;

/**
 * Checks a signed manifest envelope: structure, signature, and that the signing key holds the {@code ota}
 * role, in the device's one trust store ({@link TrustStoreManifestVerifier}).
 */
public interface ManifestVerifier {
    String OTA_ROLE = "ota";

    /** @throws OtaException MALFORMED_MANIFEST, KEY_REVOKED, UNKNOWN_KEY, BAD_SIGNATURE or WRONG_ROLE */
    VerifiedManifest verify(byte[] envelope) throws OtaException;
}
