package dev.vgate.ota.boot;

/** A slot as the bootloader sees it. TRIAL: chosen for the next boots but not yet committed. */
public enum SlotState { GOOD, TRIAL, BAD }
