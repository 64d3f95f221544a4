package dev.vgate.ota.install;

/**
 * The persisted install steps, in order. The switch (ACTIVE_MARKED) comes only after VERIFIED; every state
 * before WRITTEN restarts from the checks after a power cut, WRITTEN and VERIFIED re-verify the slot first.
 */
public enum InstallState {
    PLANNED, CHECKED, TARGET_MARKED_BAD, WRITING, WRITTEN, VERIFIED, ACTIVE_MARKED, REBOOT_REQUESTED,
    ROLLBACK_REQUESTED,
    COMMITTED, ROLLED_BACK, FAILED, ABORTED;

    public boolean terminal() { return ordinal() >= COMMITTED.ordinal(); }

    /** True once the bootloader may boot the new slot. */
    public boolean switched() { return this == ACTIVE_MARKED || this == REBOOT_REQUESTED; }
}
