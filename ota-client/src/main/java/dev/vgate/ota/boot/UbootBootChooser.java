package dev.vgate.ota.boot;

import dev.vgate.ota.OtaException;

import java.util.Map;

import static dev.vgate.ota.OtaException.Reason.BOOT_CONTROL;

/**
 * Boot control through the U-Boot environment, in one of the two variable schemes in use:
 * <ul>
 *   <li>{@link Scheme#mender}: a boot-partition variable (e.g. {@code boot_part=2|3}), {@code upgrade_available},
 *   {@code bootcount}, {@code bootlimit}; U-Boot's bootcount support runs {@code altbootcmd} when the count
 *   passes the limit, so {@code altbootcmd} must exist or U-Boot stops at its prompt;</li>
 *   <li>{@link Scheme#rauc}: {@code BOOT_ORDER="A B"}, {@code BOOT_A_LEFT}, {@code BOOT_B_LEFT} decremented by
 *   the boot script.</li>
 * </ul>
 */
public final class UbootBootChooser implements BootChooser {
    /** Variable layout; built with {@link #mender} or {@link #rauc}. */
    public record Scheme(boolean menderStyle, String partVar, String partA, String partB, int attempts, String altbootcmd) {
        /** @param altbootcmd written if the environment lacks one; null to require it to be present */
        public static Scheme mender(String partVar, String partA, String partB, int bootlimit, String altbootcmd) {
            return new Scheme(true, partVar, partA, partB, bootlimit, altbootcmd);
        }

        public static Scheme rauc(int attempts) { return new Scheme(false, null, null, null, attempts, null); }
    }

    private final UbootEnvStore env;
    private final Scheme scheme;

    public UbootBootChooser(UbootEnvStore env, Scheme scheme) {
        this.env = env;
        this.scheme = scheme;
    }

    @Override public String name() { return "uboot"; }

    @Override public String getPrimary() throws OtaException {
        Map<String, String> v = env.read();
        if (scheme.menderStyle()) return slotOfPart(v.get(scheme.partVar()));
        for (String s : order(v)) if (left(v, s) > 0) return s;
        throw new OtaException(BOOT_CONTROL, "uboot backend: no slot in BOOT_ORDER has attempts left");
    }

    @Override public void setPrimary(String slot) throws OtaException {
        String other = BootChooser.other(slot);
        if (scheme.menderStyle()) {
            Map<String, String> now = env.read();
            if (!now.containsKey("altbootcmd") && scheme.altbootcmd() == null)
                throw new OtaException(BOOT_CONTROL, "uboot backend: altbootcmd is not set; after bootlimit failed boots U-Boot would stop at its prompt instead of falling back");
            env.update(v -> {
                v.put(scheme.partVar(), part(slot));
                v.put("upgrade_available", "1");
                v.put("bootcount", "0");
                v.putIfAbsent("bootlimit", Integer.toString(scheme.attempts()));
                if (scheme.altbootcmd() != null) v.putIfAbsent("altbootcmd", scheme.altbootcmd());
            });
        } else {
            env.update(v -> {
                v.put("BOOT_ORDER", slot + " " + other);
                v.put("BOOT_" + slot + "_LEFT", Integer.toString(scheme.attempts()));
            });
        }
    }

    @Override public SlotState getState(String slot) throws OtaException {
        Map<String, String> v = env.read();
        if (scheme.menderStyle()) {
            boolean primary = slot.equals(slotOfPart(v.get(scheme.partVar())));
            if (!primary) return SlotState.GOOD; // Mender's env keeps no per-slot verdict for the other slot
            return "1".equals(v.get("upgrade_available")) ? SlotState.TRIAL : SlotState.GOOD;
        }
        int left = left(v, slot);
        if (left <= 0 || !order(v).contains(slot)) return SlotState.BAD;
        return left < scheme.attempts() ? SlotState.TRIAL : SlotState.GOOD;
    }

    @Override public void setState(String slot, SlotState state) throws OtaException {
        if (scheme.menderStyle()) {
            Map<String, String> v0 = env.read();
            boolean primary = slot.equals(slotOfPart(v0.get(scheme.partVar())));
            env.update(v -> {
                if (state == SlotState.GOOD && primary) {
                    v.put("upgrade_available", "0");
                    v.put("bootcount", "0");
                } else if (state == SlotState.BAD && primary) {
                    // leave the bad slot now instead of waiting for bootlimit failed boots
                    v.put(scheme.partVar(), part(BootChooser.other(slot)));
                    v.put("upgrade_available", "0");
                    v.put("bootcount", "0");
                }
            });
        } else {
            env.update(v -> v.put("BOOT_" + slot + "_LEFT", state == SlotState.BAD ? "0" : Integer.toString(scheme.attempts())));
        }
    }

    private String part(String slot) { return slot.equals("A") ? scheme.partA() : scheme.partB(); }

    private String slotOfPart(String value) throws OtaException {
        if (scheme.partA().equals(value)) return "A";
        if (scheme.partB().equals(value)) return "B";
        throw new OtaException(BOOT_CONTROL, "uboot backend: " + scheme.partVar() + "=" + value + " names neither slot A (" + scheme.partA() + ") nor B (" + scheme.partB() + ")");
    }

    private static java.util.List<String> order(Map<String, String> v) {
        String o = v.getOrDefault("BOOT_ORDER", "A B").trim();
        return java.util.Arrays.asList(o.split("\\s+"));
    }

    private static int left(Map<String, String> v, String slot) {
        try {
            return Integer.parseInt(v.getOrDefault("BOOT_" + slot + "_LEFT", "0").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
