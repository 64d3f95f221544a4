package dev.vgate.buffer.testing;

/** A broker the end-to-end tests can stop and start again on the same port. */
public interface TestBroker extends AutoCloseable {
    String url();

    void stop() throws Exception;

    void startAgain() throws Exception;

    @Override void close();

    static TestBroker moquette() {
        dev.vgate.mqtt.testing.EmbeddedBroker b = dev.vgate.mqtt.testing.EmbeddedBroker.start();
        return new TestBroker() {
            @Override public String url() { return b.url(); }
            @Override public void stop() { b.stop(); }
            @Override public void startAgain() { b.startAgain(); }
            @Override public void close() { b.close(); }
            @Override public String toString() { return "moquette"; }
        };
    }
}
