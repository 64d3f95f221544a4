package dev.vgate.agent.command.mqtt;

/** Topic names of the command protocol. */
public final class CommandTopics {
    private CommandTopics() {}

    public static String commands(String vehicleId) { return "vgate/" + vehicleId + "/cmd"; }

    public static String audit(String vehicleId) { return "vgate/" + vehicleId + "/audit"; }

    /** Rejects vehicle ids that would change the topic structure. */
    public static void checkVehicleId(String vehicleId) {
        if (vehicleId == null || !vehicleId.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("vehicle id '" + vehicleId + "' must be 1..64 of A-Z a-z 0-9 _ - (it is part of MQTT topics)");
        }
    }
}
