package dev.vgate.agent.daemon;

import dev.vgate.mqtt.PahoMqttLink;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The daemon's one MQTT session: started first (it connects in the background and keeps reconnecting, so the
 * parts after it never wait for a broker), closed last. Healthy while connected.
 */
final class MqttPart implements Service {
    private final PahoMqttLink link;
    private final String url;
    private boolean started;

    /** @param url the broker, for the status report */
    MqttPart(PahoMqttLink link, String url) {
        this.link = link;
        this.url = url;
    }

    @Override public String name() { return "mqtt"; }

    @Override public void start() {
        if (!started) link.start(); // a retry must not start a second session
        started = true;
    }

    @Override public void stop() { link.close(); }

    @Override public boolean healthy() { return link.isConnected(); }

    @Override public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connected", link.isConnected());
        m.put("url", url);
        return m;
    }
}
