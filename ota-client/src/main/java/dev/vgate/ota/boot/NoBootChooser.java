package dev.vgate.ota.boot;

/**
 * For offline installs ({@code vgate ota apply}): the slots are plain files or devices of another machine,
 * there is no bootloader to tell. Remembers nothing; every slot reads as GOOD and A as primary.
 */
public final class NoBootChooser implements BootChooser {
    @Override public String name() { return "none"; }
    @Override public SlotState getState(String slot) { return SlotState.GOOD; }
    @Override public void setState(String slot, SlotState state) {}
    @Override public String getPrimary() { return "A"; }
    @Override public void setPrimary(String slot) {}
}
