package dev.vgate.canbus;

/** {@link CanChannelContract} for the in-process bus (the daemon's virtual buses, and its replay buses' channels). */
class VirtualBusChannelContractTest extends CanChannelContract {
    @Override protected CanChannel[] openPair() {
        VirtualBus bus = new VirtualBus("vbus0");
        return new CanChannel[] {bus.newChannel(), bus.newChannel()};
    }

    @Override protected boolean supportsFd() { return true; }
}
