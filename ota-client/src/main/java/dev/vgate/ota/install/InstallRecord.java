package dev.vgate.ota.install;

/** One install as persisted: the signed manifest it came from, the slots, versions and current step. */
public record InstallRecord(long id, byte[] envelope, String sourceSlot, String targetSlot, String fromVersion,
                            String toVersion, InstallState state, boolean fullImage, String error) {}
