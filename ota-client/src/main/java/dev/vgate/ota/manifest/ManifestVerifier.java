package dev.vgate.ota.manifest;

import dev.vgate.ota.OtaException;

/**
 * Checks a signed manifest envelope: structure, signature, and that the signing key holds the {@code ota}
 * role. The first implementation reads a trust file ({@link TrustFileVerifier}); the signed-commands trust
 * store can implement the same interface later.
 */
public interface ManifestVerifier {
    String OTA_ROLE = "ota";

    /** @throws OtaException MALFORMED_MANIFEST, UNKNOWN_KEY, WRONG_ROLE or BAD_SIGNATURE */
    VerifiedManifest verify(byte[] envelope) throws OtaException;
}
