package dev.vgate.ota.install;

/** The end of an install as reported to the cloud: what was tried, how it ended and why. */
public record UpdateOutcome(long id, long installId, String fromVersion, String toVersion, Result result, String reason,
                            long atEpochMillis) {
    public enum Result { SUCCESS, ROLLED_BACK, FAILED, ABORTED }
}
