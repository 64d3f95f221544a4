package dev.vgate.canbus;

/**
 * Receives frames on a channel's receive thread. It must not block: while it runs, the kernel queues the
 * next frames and drops them once its buffer is full. The frame is reused for the next call; {@link
 * CanFrame#copy()} it to keep it.
 */
@FunctionalInterface
public interface FrameHandler {
    void onFrame(CanFrame frame);
}
