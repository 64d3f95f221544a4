package dev.vgate.command.verify;

import java.time.Duration;

/**
 * Verifier limits. {@code clockSkew} is how far the vehicle clock may be off the cloud's in either
 * direction; {@code maxValidity} caps expires-issued so the replay table stays bounded.
 */
public record VerifierConfig(String vehicleId, int maxEnvelopeBytes, Duration clockSkew, Duration maxValidity) {
    public static final int DEFAULT_MAX_ENVELOPE_BYTES = 256 * 1024;
    public static final Duration DEFAULT_SKEW = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_VALIDITY = Duration.ofHours(24);

    public VerifierConfig {
        if (vehicleId == null || vehicleId.isEmpty()) throw new IllegalArgumentException("vehicle id is empty");
        if (maxEnvelopeBytes < 256) throw new IllegalArgumentException("max envelope size " + maxEnvelopeBytes + " < 256 bytes");
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("clock skew " + clockSkew + " not in 0..10 minutes");
        }
        if (maxValidity.isNegative() || maxValidity.isZero()) throw new IllegalArgumentException("max validity must be positive");
    }

    public static VerifierConfig defaults(String vehicleId) {
        return new VerifierConfig(vehicleId, DEFAULT_MAX_ENVELOPE_BYTES, DEFAULT_SKEW, DEFAULT_MAX_VALIDITY);
    }

    public VerifierConfig withClockSkew(Duration skew) { return new VerifierConfig(vehicleId, maxEnvelopeBytes, skew, maxValidity); }

    public VerifierConfig withMaxEnvelopeBytes(int max) { return new VerifierConfig(vehicleId, max, clockSkew, maxValidity); }
}
