package dev.vgate.command.verify;

/**
 * Why a command was refused. The verifier checks in the order of these constants (STATE_UNAVAILABLE and INTERNAL_ERROR aside) and
 * stops at the first failure (docs/commands.md#checks). The names are the wire reason codes.
 */
public enum RejectReason {
    PAYLOAD_TOO_LARGE,
    MALFORMED,
    /** The key id is on the revocation list (checked first: a revoked key may no longer be in the set at all). */
    KEY_REVOKED,
    UNKNOWN_KEY,
    BAD_SIGNATURE,
    WRONG_VEHICLE,
    EXPIRED,
    NOT_YET_VALID,
    VALIDITY_TOO_LONG,
    ROLE_NOT_ALLOWED,
    UNKNOWN_TYPE,
    /** The type's own pre-checks (a handler's parameters) failed. */
    INVALID_PARAMS,
    /** key-set-update body: not a valid SignedKeySet / KeySet. */
    KEYSET_MALFORMED,
    /** key-set-update body: fewer distinct valid root signatures than the threshold. */
    KEYSET_THRESHOLD_NOT_MET,
    /** key-set-update body: version not above the active key set's. */
    KEYSET_VERSION_NOT_NEWER,
    REPLAYED,
    SEQUENCE_NOT_INCREASING,
    /** The agent could not read or write its state; refused rather than risk a replay. */
    STATE_UNAVAILABLE,
    /** A bug in the verifier surfaced as a refusal instead of an exception (the fuzz test hunts for these). */
    INTERNAL_ERROR
}
