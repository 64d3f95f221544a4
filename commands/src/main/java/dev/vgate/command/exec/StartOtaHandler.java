package dev.vgate.command.exec;

import dev.vgate.command.verify.CommandCatalog.InvalidParamsException;
import dev.vgate.protocol.command.Command;

import java.util.Map;

/** start-ota: the body is the update manifest, handed to the OTA client (which verifies its own signature). */
public final class StartOtaHandler implements CommandHandler {
    private final OtaStarter ota;

    public StartOtaHandler(OtaStarter ota) { this.ota = ota; }

    @Override public void validate(Command command) throws InvalidParamsException {
        if (command.getBody().isEmpty()) throw new InvalidParamsException("start-ota needs the manifest as body");
    }

    @Override public Map<String, String> execute(Command command) throws CommandFailedException {
        ota.start(command.getBody().toByteArray());
        return Map.of();
    }
}
