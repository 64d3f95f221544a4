package dev.vgate.agent.systemd;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;

/**
 * The four libc calls sd_notify needs, bound with JNA direct mapping (no native code of our own). Linux
 * values: these constants are the same on x86-64, aarch64 and 32-bit ARM.
 */
final class Libc {
    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int MSG_NOSIGNAL = 0x4000;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private Libc() {}

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    /** {@code size_t}/{@code ssize_t} are C longs on Linux (32-bit on ARM, 64-bit on aarch64): NativeLong. */
    static native NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrLen)
            throws LastErrorException;

    static native int close(int fd) throws LastErrorException;
}
