package dev.vgate.command.mqtt;

/**
 * Topic names of the command protocol, under the daemon's {@code mqtt.topic_prefix} (default
 * {@code vgate/{vehicle}}): commands arrive on {@code PREFIX/cmd}, rejections are uploaded to
 * {@code PREFIX/audit}; answers go to each command's own MQTT v5 response topic.
 */
public final class CommandTopics {
    private CommandTopics() {}

    /** The default prefix for a vehicle, as {@code mqtt.topic_prefix} defaults it. */
    public static String defaultPrefix(String vehicleId) { return "vgate/" + vehicleId; }

    public static String commands(String vehicleId) { return commandsUnder(defaultPrefix(vehicleId)); }

    public static String audit(String vehicleId) { return auditUnder(defaultPrefix(vehicleId)); }

    public static String commandsUnder(String prefix) { return prefix + "/cmd"; }

    public static String auditUnder(String prefix) { return prefix + "/audit"; }

    /** Rejects vehicle ids that would change the topic structure. */
    public static void checkVehicleId(String vehicleId) {
        if (vehicleId == null || !vehicleId.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("vehicle id '" + vehicleId + "' must be 1..64 of A-Z a-z 0-9 _ - (it is part of MQTT topics)");
        }
    }

    /** Rejects prefixes with wildcards, empty levels or a leading '$' (the config validator's rule, for callers built in code). */
    public static void checkPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty() || prefix.startsWith("$") || prefix.startsWith("/") || prefix.endsWith("/")
                || prefix.contains("//") || prefix.contains("+") || prefix.contains("#")) {
            throw new IllegalArgumentException("topic prefix '" + prefix + "' must be non-empty, without + # or empty levels, not starting with $");
        }
    }
}
