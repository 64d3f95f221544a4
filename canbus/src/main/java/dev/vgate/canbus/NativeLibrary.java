package dev.vgate.canbus;

import org.tinylog.Logger;
import tel.schich.javacan.JavaCAN;

import java.util.Locale;

/**
 * Loads javacan's JNI library for this CPU. javacan's classifier jars (x86_64, aarch64, armv7) all hold
 * {@code native/libjavacan-core.so}, so with more than one on the classpath (or shaded into vgate.jar)
 * javacan would load whichever comes first. The canbus jar carries them as {@code
 * vgate-native/<arch>/native/libjavacan-core.so} instead, and this class points javacan's own
 * {@code javacan.native.javacan-core.classpath} property at the right one before javacan first loads.
 */
public final class NativeLibrary {
    static final String CLASSPATH_PROPERTY = "javacan.native.javacan-core.classpath";
    static final String PATH_PROPERTY = "javacan.native.javacan-core.path";

    private static volatile boolean loaded;

    private NativeLibrary() {}

    /** The folder name of the native library for an {@code os.arch} value, or null when vgate ships none. */
    static String archDirectory(String osArch) {
        String a = osArch.toLowerCase(Locale.ROOT);
        switch (a) {
            case "amd64": case "x86_64": case "x86-64": return "x86_64";
            case "aarch64": case "arm64": return "aarch64";
            case "arm": case "armv7": case "armv7l": case "armhf": case "aarch32": return "armv7";
            default: return null;
        }
    }

    /** Loads javacan's native library once (also for other javacan channels: ISO-TP in diag/). */
    public static synchronized void ensureLoaded() throws CanException {
        if (loaded) return;
        String osArch = System.getProperty("os.arch");
        if (!"linux".equalsIgnoreCase(System.getProperty("os.name"))) {
            throw new CanException("SocketCAN needs Linux; this is " + System.getProperty("os.name"));
        }
        // an explicit choice by the operator wins
        if (System.getProperty(PATH_PROPERTY) == null && System.getProperty(CLASSPATH_PROPERTY) == null) {
            String dir = archDirectory(osArch);
            if (dir == null) throw new CanException("no javacan native library for CPU architecture " + osArch + " (vgate ships x86_64, aarch64, armv7)");
            String resource = "/vgate-native/" + dir + "/native/libjavacan-core.so";
            if (JavaCAN.class.getResource(resource) == null && NativeLibrary.class.getResource(resource) == null) {
                throw new CanException("javacan native library " + resource + " missing from the classpath (broken build?)");
            }
            System.setProperty(CLASSPATH_PROPERTY, resource);
            Logger.debug("javacan native library for {}: {}", osArch, resource);
        }
        try {
            JavaCAN.initialize();
        } catch (LinkageError e) {
            throw new CanException("cannot load javacan's native library for " + osArch + ": " + e.getMessage(), e);
        }
        loaded = true;
    }
}
