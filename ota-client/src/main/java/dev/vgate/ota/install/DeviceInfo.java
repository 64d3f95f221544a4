package dev.vgate.ota.install;

/** What the installer needs to know about the running device. */
public record DeviceInfo(String hardwareId, String bootedSlot, String currentVersion) {}
