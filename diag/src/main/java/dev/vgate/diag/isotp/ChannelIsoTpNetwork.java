package dev.vgate.diag.isotp;

import dev.vgate.canbus.CanChannel;
import dev.vgate.canbus.CanException;
import dev.vgate.canbus.CanIdFilter;
import dev.vgate.canbus.SocketCanChannel;
import dev.vgate.canbus.SocketCanConfig;
import dev.vgate.canbus.VirtualBus;

import java.util.List;

/**
 * Opens {@link ChannelIsoTpTransport}s, each on its own CAN channel filtered to its receive id: on a
 * {@link VirtualBus} (the demo, tests) or on a SocketCAN interface through raw sockets (to compare with the
 * kernel's ISO-TP on vcan).
 */
public final class ChannelIsoTpNetwork implements IsoTpNetwork {
    /** Opens a channel that receives at least the given id. */
    @FunctionalInterface
    public interface ChannelOpener {
        CanChannel open(CanIdFilter filter) throws CanException;
    }

    private final String name;
    private final ChannelOpener opener;

    public ChannelIsoTpNetwork(String name, ChannelOpener opener) {
        this.name = name;
        this.opener = opener;
    }

    public static ChannelIsoTpNetwork on(VirtualBus bus) {
        return new ChannelIsoTpNetwork(bus.name(), filter -> bus.newChannel(filter, 4096));
    }

    /** Raw SocketCAN sockets on {@code iface}, CAN FD enabled. */
    public static ChannelIsoTpNetwork onSocketCan(String iface) {
        return new ChannelIsoTpNetwork(iface, filter -> SocketCanChannel.open(iface, SocketCanConfig.defaults().withFilter(filter)));
    }

    @Override public String name() { return name; }

    @Override public IsoTpTransport open(IsoTpAddress address, IsoTpOptions options) throws IsoTpException {
        CanIdFilter filter = address.sendOnly() ? CanIdFilter.of(List.of(), List.of())
                : address.extendedIds() ? CanIdFilter.of(List.of(), List.of(address.rxId())) : CanIdFilter.of(List.of(address.rxId()), List.of());
        CanChannel ch;
        try {
            ch = opener.open(filter);
        } catch (CanException e) {
            throw new IsoTpException(IsoTpException.Kind.IO, name + ": " + e.getMessage(), e);
        }
        return ChannelIsoTpTransport.start(ch, address, options);
    }
}
