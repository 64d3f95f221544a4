package dev.vgate.agent.config;

import java.nio.file.Path;

/**
 * PEM files for the broker connection.
 *
 * @param ca   CA certificate(s) the broker's certificate must chain to (null: the JVM's trust store)
 * @param cert the vehicle's client certificate for mutual TLS (null: no client certificate)
 * @param key  the client certificate's private key (set exactly when {@code cert} is)
 */
public record TlsConfig(Path ca, Path cert, Path key) {
    public static final TlsConfig NONE = new TlsConfig(null, null, null);

    public boolean isEmpty() {
        return ca == null && cert == null && key == null;
    }
}
