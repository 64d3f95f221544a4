package dev.vgate.ota.install;

/**
 * Observation points inside an install: after each persisted transition and as bytes are downloaded or
 * written. Production uses {@link #NONE}; the power-cut simulation stops the process at these points.
 */
public interface InstallHooks {
    InstallHooks NONE = new InstallHooks() {};

    default void transitioned(InstallState state) {}

    default void downloaded(long done, long total) {}

    default void written(long done, long total) {}
}
