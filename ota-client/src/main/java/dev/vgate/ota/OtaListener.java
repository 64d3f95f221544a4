package dev.vgate.ota;

import dev.vgate.ota.install.InstallState;
import dev.vgate.ota.install.UpdateOutcome;

/**
 * What the daemon hears from {@link OtaService}: progress for the status topic and each install's end for
 * the cloud. Called on the OTA worker thread (or the caller of {@link OtaService#bootVerify()}); must not block.
 * Outcomes are also kept in the state store until {@link OtaService#markReported} so none is lost.
 */
public interface OtaListener {
    OtaListener NONE = new OtaListener() {};

    /** A step of the install; {@code phase} is "download" or "write" while bytes move, else the state's name. */
    record Progress(long installId, String fromVersion, String toVersion, InstallState state, String phase, long done, long total) {
        /** 0..100, or -1 when the total is unknown. */
        public int percent() { return total <= 0 ? -1 : (int) Math.min(100, done * 100 / total); }
    }

    default void progress(Progress p) {}

    default void outcome(UpdateOutcome o) {}
}
