package dev.vgate.diag.uds;

import java.util.Locale;
import java.util.Map;

/** ISO 14229-1 negative response codes (NRC) by name. */
public final class NegativeResponse {
    public static final int RESPONSE_PENDING = 0x78;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0x10, "generalReject"),
            Map.entry(0x11, "serviceNotSupported"),
            Map.entry(0x12, "subFunctionNotSupported"),
            Map.entry(0x13, "incorrectMessageLengthOrInvalidFormat"),
            Map.entry(0x14, "responseTooLong"),
            Map.entry(0x21, "busyRepeatRequest"),
            Map.entry(0x22, "conditionsNotCorrect"),
            Map.entry(0x24, "requestSequenceError"),
            Map.entry(0x25, "noResponseFromSubnetComponent"),
            Map.entry(0x26, "failurePreventsExecutionOfRequestedAction"),
            Map.entry(0x31, "requestOutOfRange"),
            Map.entry(0x33, "securityAccessDenied"),
            Map.entry(0x35, "invalidKey"),
            Map.entry(0x36, "exceedNumberOfAttempts"),
            Map.entry(0x37, "requiredTimeDelayNotExpired"),
            Map.entry(0x70, "uploadDownloadNotAccepted"),
            Map.entry(0x71, "transferDataSuspended"),
            Map.entry(0x72, "generalProgrammingFailure"),
            Map.entry(0x73, "wrongBlockSequenceCounter"),
            Map.entry(0x78, "requestCorrectlyReceivedResponsePending"),
            Map.entry(0x7E, "subFunctionNotSupportedInActiveSession"),
            Map.entry(0x7F, "serviceNotSupportedInActiveSession"),
            Map.entry(0x81, "rpmTooHigh"),
            Map.entry(0x82, "rpmTooLow"),
            Map.entry(0x83, "engineIsRunning"),
            Map.entry(0x84, "engineIsNotRunning"),
            Map.entry(0x85, "engineRunTimeTooLow"),
            Map.entry(0x86, "temperatureTooHigh"),
            Map.entry(0x87, "temperatureTooLow"),
            Map.entry(0x88, "vehicleSpeedTooHigh"),
            Map.entry(0x89, "vehicleSpeedTooLow"),
            Map.entry(0x8A, "throttlePedalTooHigh"),
            Map.entry(0x8B, "throttlePedalTooLow"),
            Map.entry(0x8C, "transmissionRangeNotInNeutral"),
            Map.entry(0x8D, "transmissionRangeNotInGear"),
            Map.entry(0x8F, "brakeSwitchesNotClosed"),
            Map.entry(0x90, "shifterLeverNotInPark"),
            Map.entry(0x91, "torqueConverterClutchLocked"),
            Map.entry(0x92, "voltageTooHigh"),
            Map.entry(0x93, "voltageTooLow"));

    private NegativeResponse() {}

    /** The NRC's ISO 14229-1 name, or "reserved"/"manufacturerSpecific" with its number. */
    public static String name(int nrc) {
        String n = NAMES.get(nrc);
        if (n != null) return n;
        if (nrc >= 0xF0 && nrc <= 0xFE) return String.format(Locale.ROOT, "vehicleManufacturerSpecific(0x%02X)", nrc);
        return String.format(Locale.ROOT, "reserved(0x%02X)", nrc);
    }
}
