package dev.vgate.ota.boot;

import dev.vgate.ota.OtaException;

/**
 * The bootloader front door, with RAUC's four verbs. Slots are named "A" and "B". Only the installer and
 * the boot confirmer call it; how a backend counts boot attempts stays inside the backend.
 * <ul>
 *   <li>{@link #setPrimary}: boot this slot next, on trial (the bootloader falls back if it is not committed);</li>
 *   <li>{@link #setState} GOOD: commit the slot (stop counting attempts); BAD: never boot it.</li>
 * </ul>
 * Every method throws {@link OtaException.Reason#BOOT_CONTROL} with the backend's name on failure.
 */
public interface BootChooser {
    String name();

    SlotState getState(String slot) throws OtaException;

    void setState(String slot, SlotState state) throws OtaException;

    /** The slot the bootloader will boot next (after fallbacks it already applied). */
    String getPrimary() throws OtaException;

    void setPrimary(String slot) throws OtaException;

    static String other(String slot) {
        return switch (slot) {
            case "A" -> "B";
            case "B" -> "A";
            default -> throw new IllegalArgumentException("slot must be A or B, not " + slot);
        };
    }
}
