package dev.vgate.command.verify;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.vgate.trust.crypto.PublicKey;
import dev.vgate.command.state.CommandStateDb;
import dev.vgate.command.state.CommandStateException;
import dev.vgate.trust.KeySetRejectedException;
import dev.vgate.trust.KeySetState;
import dev.vgate.trust.TrustStore;
import dev.vgate.trust.TrustedKey;
import dev.vgate.protocol.command.Command;
import dev.vgate.protocol.command.SignedCommand;

import java.time.Clock;
import java.util.Optional;

/**
 * Decides whether a received envelope may be executed. The checks run in one fixed order and the first
 * failure decides the reason code (see {@link RejectReason} and docs/commands.md#checks). Only when all
 * pass is the command id and the key's sequence recorded, atomically, and {@link Verdict.Accepted}
 * returned; nothing about a rejected command changes the replay or sequence state.
 *
 * <p>Never throws: any input, however broken, yields a {@link Verdict}. One thread at a time (the
 * command thread, or the CLI).
 */
public final class CommandVerifier {
    private static final int MAX_ID_LENGTH = 128;

    private final VerifierConfig config;
    private final TrustStore trust;
    private final CommandStateDb state;
    private final CommandCatalog catalog;
    private final Clock clock;

    public CommandVerifier(VerifierConfig config, TrustStore trust, CommandStateDb state, CommandCatalog catalog, Clock clock) {
        this.config = config;
        this.trust = trust;
        this.state = state;
        this.catalog = catalog;
        this.clock = clock;
    }

    public VerifierConfig config() { return config; }

    public Verdict verify(byte[] envelope) {
        try {
            return check(envelope);
        } catch (CommandStateException e) {
            return new Verdict.Rejected(RejectReason.STATE_UNAVAILABLE, e.getMessage(), "", "", "");
        } catch (RuntimeException e) {
            // a bug, not an input problem; still a typed refusal rather than an escaping exception
            org.tinylog.Logger.error(e, "verifier failed on a {}-byte envelope", envelope.length);
            return new Verdict.Rejected(RejectReason.INTERNAL_ERROR, "internal error while verifying: " + e, "", "", "");
        }
    }

    private Verdict check(byte[] envelope) throws CommandStateException {
        // 1. size, before parsing anything
        if (envelope.length > config.maxEnvelopeBytes()) {
            return reject(RejectReason.PAYLOAD_TOO_LARGE, envelope.length + " bytes > limit " + config.maxEnvelopeBytes(), null, "");
        }
        // 2. structure of the envelope and of the command
        SignedCommand signed;
        Command cmd;
        try {
            signed = SignedCommand.parseFrom(envelope);
            cmd = Command.parseFrom(signed.getPayload());
        } catch (InvalidProtocolBufferException e) {
            return reject(RejectReason.MALFORMED, "not a SignedCommand: " + e.getMessage(), null, "");
        }
        String keyId = signed.getKeyId();
        String malformed = structureProblem(signed, cmd);
        if (malformed != null) return reject(RejectReason.MALFORMED, malformed, cmd, keyId);

        // 3-5. who signed it
        KeySetState keys = trust.current();
        TrustedKey key = keys.key(keyId);
        PublicKey root = keys.root(keyId);
        if (keys.isRevoked(keyId)) {
            return reject(RejectReason.KEY_REVOKED, "key '" + keyId + "' is revoked (key set version " + keys.version() + ")", cmd, keyId);
        }
        if (key == null && root == null) return reject(RejectReason.UNKNOWN_KEY, "no trusted key '" + keyId + "'", cmd, keyId);
        PublicKey pub = key != null ? key.publicKey() : root;
        if (!pub.verify(signed.getPayload().toByteArray(), signed.getSignature().toByteArray())) {
            return reject(RejectReason.BAD_SIGNATURE, "signature does not verify with key '" + keyId + "' ("
                    + pub.algorithm().cliName() + ")", cmd, keyId);
        }
        // 6-9. for this vehicle, now
        if (!config.vehicleId().equals(cmd.getVehicleId())) {
            return reject(RejectReason.WRONG_VEHICLE, "for vehicle '" + cmd.getVehicleId() + "', this is '" + config.vehicleId() + "'", cmd, keyId);
        }
        long now = clock.millis();
        long skew = config.clockSkew().toMillis();
        // saturating: an expires_at near 2^63-1 is far future (VALIDITY_TOO_LONG below), not an overflowed past
        long expiresWithSkew = cmd.getExpiresAtMs() > Long.MAX_VALUE - skew ? Long.MAX_VALUE : cmd.getExpiresAtMs() + skew;
        if (now >= expiresWithSkew) {
            return reject(RejectReason.EXPIRED, "expired at " + cmd.getExpiresAtMs() + ", now " + now + " (skew " + skew + " ms)", cmd, keyId);
        }
        if (now < cmd.getIssuedAtMs() - skew) {
            return reject(RejectReason.NOT_YET_VALID, "issued at " + cmd.getIssuedAtMs() + " is in the future, now " + now
                    + " (skew " + skew + " ms)", cmd, keyId);
        }
        long validity = cmd.getExpiresAtMs() - cmd.getIssuedAtMs();
        if (validity > config.maxValidity().toMillis()) {
            return reject(RejectReason.VALIDITY_TOO_LONG, "valid for " + validity + " ms > " + config.maxValidity().toMillis() + " ms", cmd, keyId);
        }
        // 10-12. may this key issue this type, and is it a type we execute with sane parameters
        String type = cmd.getType();
        boolean allowed = key != null ? key.mayIssue(type) : CommandTypes.KEY_SET_UPDATE.equals(type);
        if (!allowed) {
            return reject(RejectReason.ROLE_NOT_ALLOWED, (key != null ? "key" : "root key") + " '" + keyId
                    + "' may not issue '" + type + "'", cmd, keyId);
        }
        if (!catalog.knows(type)) return reject(RejectReason.UNKNOWN_TYPE, "this agent has no handler for '" + type + "'", cmd, keyId);
        if (CommandTypes.KEY_SET_UPDATE.equals(type)) {
            try {
                trust.check(cmd.getBody().toByteArray());
            } catch (KeySetRejectedException e) {
                return reject(RejectReason.valueOf(e.reason().name()), e.getMessage(), cmd, keyId);
            }
        } else {
            try {
                catalog.validate(cmd);
            } catch (CommandCatalog.InvalidParamsException e) {
                return reject(RejectReason.INVALID_PARAMS, e.getMessage(), cmd, keyId);
            }
        }
        // 13-14. once, in order
        if (state.isSeen(cmd.getCommandId())) return reject(RejectReason.REPLAYED, "command id already seen", cmd, keyId);
        Optional<Long> last = state.lastSequence(keyId);
        long seq = cmd.getSequence();
        if (last.isPresent() && seq <= last.get()) {
            return reject(RejectReason.SEQUENCE_NOT_INCREASING, "sequence " + seq + " <= last accepted " + last.get()
                    + " for key '" + keyId + "'", cmd, keyId);
        }
        // the id must stay known as long as any clock within the skew could still accept it
        state.recordAccepted(cmd.getCommandId(), cmd.getExpiresAtMs() + skew, keyId, seq);
        return new Verdict.Accepted(cmd, keyId);
    }

    private static String structureProblem(SignedCommand s, Command c) {
        if (s.getKeyId().isEmpty()) return "key_id is empty";
        if (s.getKeyId().length() > MAX_ID_LENGTH) return "key_id longer than " + MAX_ID_LENGTH;
        if (s.getSignature().isEmpty()) return "signature is empty";
        if (s.getPayload().isEmpty()) return "payload is empty";
        if (c.getCommandId().isEmpty()) return "command_id is empty";
        if (c.getCommandId().length() > MAX_ID_LENGTH) return "command_id longer than " + MAX_ID_LENGTH;
        if (c.getType().isEmpty()) return "type is empty";
        if (c.getType().length() > MAX_ID_LENGTH) return "type longer than " + MAX_ID_LENGTH;
        if (c.getIssuedAtMs() <= 0 || c.getExpiresAtMs() <= 0) return "issued_at_ms and expires_at_ms must be set";
        if (c.getExpiresAtMs() <= c.getIssuedAtMs()) return "expires_at_ms " + c.getExpiresAtMs() + " <= issued_at_ms " + c.getIssuedAtMs();
        if (c.getSequence() < 0) return "sequence above 2^63-1"; // uint64 read into a signed long
        return null;
    }

    private static Verdict.Rejected reject(RejectReason reason, String detail, Command cmd, String keyId) {
        return new Verdict.Rejected(reason, detail, cmd == null ? "" : truncate(cmd.getCommandId()),
                truncate(keyId), cmd == null ? "" : truncate(cmd.getType()));
    }

    private static String truncate(String s) { return s.length() <= MAX_ID_LENGTH ? s : s.substring(0, MAX_ID_LENGTH) + "…"; }
}
