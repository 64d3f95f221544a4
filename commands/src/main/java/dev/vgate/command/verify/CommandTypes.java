package dev.vgate.command.verify;

import java.util.List;

/** The command type names on the wire. */
public final class CommandTypes {
    private CommandTypes() {}

    public static final String LOCK = "lock";
    public static final String UNLOCK = "unlock";
    public static final String HORN = "horn";
    public static final String LIGHTS = "lights";
    public static final String CLIMATE = "climate";
    public static final String GET_STATE = "get-state";
    public static final String LOCATE = "locate";
    public static final String COLLECTION_POLICY = "collection-policy";
    public static final String RULES = "rules";
    /** A decoder manifest: which DBC files decode which bus (body: YAML with the DBC texts). */
    public static final String DBC_SET = "dbc-set";
    public static final String START_OTA = "start-ota";
    /** Replaces the key set; the body is a SignedKeySet. Root keys may sign this type (and only this type). */
    public static final String KEY_SET_UPDATE = "key-set-update";

    /** Configuration updates: issued by a key that lists the type, or by a key with the {@code config} role. */
    public static final List<String> CONFIG_UPDATES = List.of(COLLECTION_POLICY, RULES, DBC_SET);

    /** Reads the DTCs of ECUs of the diag configuration (param ecus, default all). */
    public static final String READ_DTCS = "read-dtcs";
    /** Clears the DTCs of ECUs (param ecus, required); give it only to keys that may clear fault memory. */
    public static final String CLEAR_DTCS = "clear-dtcs";

    /** Every type, as the trust store knows them (a key's command list may name only these). */
    public static final List<String> ALL = dev.vgate.trust.Roles.COMMAND_TYPES;
}
