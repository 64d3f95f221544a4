package dev.vgate.canbus;

/**
 * One CAN interface, open for receiving and sending. {@link #start} starts the channel's own receive
 * thread, which calls the handler once per frame and the listener once per event; {@link #send} may be
 * called from any thread. Implementations: {@link SocketCanChannel} (Linux SocketCAN), {@link
 * VirtualBus} channels (in-process).
 */
public interface CanChannel extends AutoCloseable {

    /** The interface name, as it appears in {@link CanFrame#iface()} and in logs. */
    String name();

    /** Starts receiving; events go to {@link CanEventListener#LOG}. */
    default void start(FrameHandler handler) throws CanException { start(handler, CanEventListener.LOG); }

    /**
     * Starts the receive thread. Can be called once.
     *
     * @throws CanException when the channel cannot receive (the first open failed)
     */
    void start(FrameHandler handler, CanEventListener listener) throws CanException;

    /** Sends one frame; its timestamp and interface are ignored. */
    void send(CanFrame frame) throws CanException;

    CanCounters counters();

    /** Stops the receive thread (waiting for it) and releases the interface. Idempotent. */
    @Override void close();
}
