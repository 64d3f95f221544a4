package dev.vgate.command.exec;

import java.util.List;
import java.util.Map;

/** Where read-dtcs and clear-dtcs act: the daemon's diagnostics (ECU name -> one workshop line per DTC). */
public interface DtcService {
    /** The DTCs of the named ECUs (empty list: every configured ECU). */
    Map<String, List<String>> read(List<String> ecus) throws CommandFailedException;

    /** Clears every DTC of the named ECUs (empty: all), then returns what they still report. */
    Map<String, List<String>> clear(List<String> ecus) throws CommandFailedException;

    DtcService NONE = new DtcService() {
        @Override public Map<String, List<String>> read(List<String> ecus) throws CommandFailedException {
            throw new CommandFailedException("NOT_SUPPORTED", "no diagnostics configured (diag section)");
        }

        @Override public Map<String, List<String>> clear(List<String> ecus) throws CommandFailedException {
            throw new CommandFailedException("NOT_SUPPORTED", "no diagnostics configured (diag section)");
        }
    };
}
