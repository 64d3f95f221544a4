package dev.vgate.command.exec;

/** Hands a verified OTA manifest to the OTA client, which verifies it again on its own terms. */
@FunctionalInterface
public interface OtaStarter {
    void start(byte[] manifest) throws CommandFailedException;
}
