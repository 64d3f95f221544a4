package dev.vgate.agent.daemon;

import dev.vgate.command.CommandStack;

/**
 * A part the configuration may leave out (diagnostics, commands, OTA). Present, it is a supervised service that
 * may take some of the signed commands; {@link #absent} stands in for it otherwise, so the daemon wires every
 * part the same way and checks for none: the stand-in is not supervised (nor listed in the status), and the
 * commands it would take keep the refusing sink's NOT_SUPPORTED reply.
 */
interface OptionalPart extends Service {
    /** The command sinks with this part's added (start-ota, read-dtcs); unchanged by default. */
    default CommandStack.Sinks wire(CommandStack.Sinks sinks) { return sinks; }

    /** The stand-in for a part named {@code name} that the configuration leaves out. */
    static OptionalPart absent(String name) {
        return new OptionalPart() {
            @Override public String name() { return name; }

            @Override public void start() { }

            @Override public void stop() { }

            @Override public boolean present() { return false; }
        };
    }
}
