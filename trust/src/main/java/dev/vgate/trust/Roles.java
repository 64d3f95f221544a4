package dev.vgate.trust;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a key may sign. A key holds command types (its {@code commands:} list: each names one command type
 * it may issue) and roles (its {@code roles:} list): {@link #OTA} signs update manifests, {@link #CONFIG}
 * signs configuration updates (rules, collection policies, DBCs). Root keys hold no role: they sign key sets
 * only. Only the names below are accepted, so a typo in a trust file is an error, not a silently missing
 * permission.
 */
public final class Roles {
    private Roles() {}

    public static final String OTA = "ota";
    public static final String CONFIG = "config";
    public static final Set<String> ROLES = Set.of(OTA, CONFIG);

    /** The command type names on the wire (dev.vgate.command.verify.CommandTypes names each). */
    public static final List<String> COMMAND_TYPES = List.of("lock", "unlock", "horn", "lights", "climate", "get-state",
            "locate", "collection-policy", "rules", "dbc-set", "start-ota", "key-set-update", "read-dtcs", "clear-dtcs");

    /** Only root keys sign this type; a key-set entry that lists it is refused. */
    public static final String KEY_SET_UPDATE = "key-set-update";

    /** Null when {@code type} may appear in a key's command list, else why not. */
    static String commandProblem(String type) {
        if (KEY_SET_UPDATE.equals(type)) return "'" + KEY_SET_UPDATE + "' is signed by root keys only";
        if (!COMMAND_TYPES.contains(type)) return "unknown command type '" + type + "' (known: " + new TreeSet<>(COMMAND_TYPES) + ")";
        return null;
    }

    /** Null when {@code role} may appear in a key's role list, else why not. */
    static String roleProblem(String role) {
        return ROLES.contains(role) ? null : "unknown role '" + role + "' (known: " + new TreeSet<>(ROLES) + ")";
    }

    /** True for any name {@link TrustStore#verify} accepts as a role: a command type, ota or config. */
    public static boolean isKnown(String roleOrType) {
        return ROLES.contains(roleOrType) || COMMAND_TYPES.contains(roleOrType);
    }
}
