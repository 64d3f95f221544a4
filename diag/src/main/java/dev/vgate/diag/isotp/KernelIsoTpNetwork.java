package dev.vgate.diag.isotp;

/** Kernel ISO-TP sockets on one SocketCAN interface. */
public final class KernelIsoTpNetwork implements IsoTpNetwork {
    private final String iface;

    public KernelIsoTpNetwork(String iface) {
        this.iface = iface;
    }

    @Override public String name() { return iface; }

    @Override public IsoTpTransport open(IsoTpAddress address, IsoTpOptions options) throws IsoTpException {
        return KernelIsoTpTransport.open(iface, address, options);
    }
}
