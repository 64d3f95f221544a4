package dev.vgate.agent.daemon;

import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.FrameHandler;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The frame handler a bus's channel is started with: it runs the bus's current {@link BusPipeline}, and a live
 * DBC-set update hands it the next one ({@link #switchTo}), which takes over at the start of the next frame on
 * the bus's own thread, continuing the counters: so the swap falls between two frames and no frame is lost.
 */
final class PipelineSwitch implements FrameHandler {
    private final AtomicReference<BusPipeline> next = new AtomicReference<>();
    private final Consumer<BusPipeline> onSwitch;
    private BusPipeline current; // the bus thread's

    PipelineSwitch(BusPipeline first, Consumer<BusPipeline> onSwitch) {
        this.current = first;
        this.onSwitch = onSwitch;
    }

    void switchTo(BusPipeline pipeline) { next.set(pipeline); }

    @Override public void onFrame(CanFrame frame) {
        if (next.get() != null) {
            BusPipeline n = next.getAndSet(null);
            n.inherit(current);
            current = n;
            onSwitch.accept(n);
        }
        current.onFrame(frame);
    }
}
