package dev.vgate.agent.systemd;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Sends datagrams to an AF_UNIX datagram socket such as systemd's NOTIFY_SOCKET, through libc (JNA): the
 * JDK 17 class library opens only stream Unix sockets. One socket is kept for the life of the process and
 * each message is a {@code sendto} to the address, so the manager re-executing itself costs nothing.
 */
final class UnixDatagramTransport implements NotifyTransport {
    /** {@code sizeof(sockaddr_un.sun_path)} on Linux. */
    static final int SUN_PATH_MAX = 108;

    private final String socketName;
    private final byte[] address;
    private final int fd;
    private volatile boolean closed;

    /**
     * @param socketName a filesystem path ({@code /run/systemd/notify}) or an abstract name starting with '@'
     */
    UnixDatagramTransport(String socketName) throws SystemdException {
        this.socketName = socketName;
        this.address = sockaddrUn(socketName);
        try {
            this.fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new SystemdException("cannot create a notify socket: errno " + e.getErrorCode(), e);
        } catch (LinkageError e) {
            throw new SystemdException("cannot load libc through JNA: " + e.getMessage(), e);
        }
    }

    /** Encodes {@code struct sockaddr_un} with the length the kernel expects for the two name kinds. */
    static byte[] sockaddrUn(String socketName) throws SystemdException {
        if (socketName.isEmpty() || (socketName.charAt(0) != '/' && socketName.charAt(0) != '@')) {
            throw new SystemdException("NOTIFY_SOCKET must be an absolute path or an abstract name starting with"
                    + " '@', got '" + socketName + "'");
        }
        byte[] name = socketName.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = name[0] == '@';
        if (abstractName) name[0] = 0;
        // a path needs its terminating NUL inside sun_path; an abstract name is exactly its bytes
        int pathBytes = abstractName ? name.length : name.length + 1;
        if (pathBytes > SUN_PATH_MAX) {
            throw new SystemdException("NOTIFY_SOCKET is longer than " + (SUN_PATH_MAX - 1) + " bytes: " + socketName);
        }
        byte[] addr = new byte[2 + pathBytes];
        ByteBuffer.wrap(addr).order(ByteOrder.nativeOrder()).putShort((short) Libc.AF_UNIX).put(name);
        return addr;
    }

    @Override public void send(String message) throws SystemdException {
        if (closed) throw new SystemdException("notify socket is closed");
        byte[] data = message.getBytes(StandardCharsets.UTF_8);
        try {
            long sent = Libc.sendto(fd, data, new NativeLong(data.length), Libc.MSG_NOSIGNAL, address, address.length)
                    .longValue();
            if (sent != data.length) {
                throw new SystemdException("short send to " + socketName + ": " + sent + " of " + data.length + " bytes");
            }
        } catch (LastErrorException e) {
            throw new SystemdException("cannot send to " + socketName + ": errno " + e.getErrorCode(), e);
        }
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        try {
            Libc.close(fd);
        } catch (LastErrorException e) {
            // nothing useful to do: the descriptor is gone either way
        }
    }

    @Override public String toString() {
        return "unix-dgram:" + socketName;
    }
}
