package dev.vgate.mqtt;

/** Root of the MQTT link's exceptions; wraps Paho's. */
public class MqttLinkException extends Exception {
    private static final long serialVersionUID = 1L;

    public MqttLinkException(String message) { super(message); }

    public MqttLinkException(String message, Throwable cause) { super(message, cause); }
}
