package dev.vgate.command.exec;

import dev.vgate.command.CommandStack;
import dev.vgate.command.TestKeys;
import dev.vgate.trust.crypto.PublicKey;
import dev.vgate.command.state.CommandStateDb;
import dev.vgate.trust.KeySetState;
import dev.vgate.trust.TrustedKey;
import dev.vgate.command.verify.VerifierConfig;
import dev.vgate.protocol.command.CommandResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.vgate.command.TestKeys.OTA;
import static dev.vgate.command.TestKeys.OWNER;
import static dev.vgate.command.TestKeys.command;
import static dev.vgate.command.TestKeys.key;
import static dev.vgate.command.TestKeys.signed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * read-dtcs and clear-dtcs through the whole verification path (signature, freshness, replay, the key's
 * allowed types): the owner key may read but not clear; a service key listing clear-dtcs may clear.
 */
class DtcCommandsTest {
    @TempDir Path dir;
    private CommandStack stack;
    private final List<String> calls = new ArrayList<>();
    private final Map<String, List<String>> dtcs = new LinkedHashMap<>();

    @BeforeEach void start() throws Exception {
        dtcs.put("engine", new ArrayList<>(List.of("P0A7E status=0x2F testFailed,confirmedDTC", "U0100 status=0x08 confirmedDTC")));
        dtcs.put("abs", new ArrayList<>());
        DtcService service = new DtcService() {
            @Override public Map<String, List<String>> read(List<String> ecus) throws CommandFailedException {
                calls.add("read " + ecus);
                if (ecus.contains("gearbox")) throw new CommandFailedException("INVALID_PARAMS", "no ECU named 'gearbox'");
                Map<String, List<String>> out = new LinkedHashMap<>();
                dtcs.forEach((k, v) -> { if (ecus.isEmpty() || ecus.contains(k)) out.put(k, List.copyOf(v)); });
                return out;
            }

            @Override public Map<String, List<String>> clear(List<String> ecus) throws CommandFailedException {
                calls.add("clear " + ecus);
                dtcs.forEach((k, v) -> { if (ecus.isEmpty() || ecus.contains(k)) v.clear(); });
                return read(ecus);
            }
        };
        Set<String> owner = new HashSet<>(TestKeys.OWNER_COMMANDS);
        owner.add("read-dtcs");
        Map<String, TrustedKey> keys = new LinkedHashMap<>();
        keys.put(OWNER, new TrustedKey(OWNER, key(OWNER).publicKey(), owner));
        keys.put(OTA, new TrustedKey(OTA, key(OTA).publicKey(), Set.of("read-dtcs", "clear-dtcs"))); // the service key here
        Map<String, PublicKey> roots = new LinkedHashMap<>();
        for (String r : TestKeys.ROOTS) roots.put(r, key(r).publicKey());
        stack = CommandStack.create(VerifierConfig.defaults(TestKeys.VIN), KeySetState.create(1, keys, Set.of(), roots, 2),
                CommandStateDb.open(dir), dev.vgate.command.exec.CanCommandMapping.none(), CommandStack.Sinks.refusing().withDiag(service), Clock.systemUTC());
    }

    @AfterEach void stop() { stack.close(); }

    private CommandResponse run(String type, String key, Map<String, String> params) {
        return stack.processor().process(signed(command(type, System.currentTimeMillis()).putAllParams(params), key));
    }

    @Test void readDtcsAnswersWithTheDecodedLinesPerEcu() {
        CommandResponse r = run("read-dtcs", OWNER, Map.of());
        assertEquals(CommandResponse.Status.COMPLETED, r.getStatus(), r::toString);
        assertEquals("P0A7E status=0x2F testFailed,confirmedDTC; U0100 status=0x08 confirmedDTC", r.getValuesMap().get("engine"));
        assertEquals("", r.getValuesMap().get("abs"));
        assertEquals("2", r.getValuesMap().get("count"));
        CommandResponse one = run("read-dtcs", OWNER, Map.of("ecus", "abs"));
        assertEquals(Map.of("abs", "", "count", "0"), one.getValuesMap());
        assertEquals(List.of("read []", "read [abs]"), calls);
    }

    @Test void clearDtcsIsOnlyForKeysThatListItAndMustNameItsEcus() {
        CommandResponse refused = run("clear-dtcs", OWNER, Map.of("ecus", "all"));
        assertEquals(CommandResponse.Status.REJECTED, refused.getStatus(), refused::toString);
        assertTrue(calls.isEmpty(), "nothing cleared by a key that may not");
        CommandResponse noEcus = run("clear-dtcs", OTA, Map.of());
        assertEquals(CommandResponse.Status.REJECTED, noEcus.getStatus());
        assertEquals("INVALID_PARAMS", noEcus.getReasonCode());
        assertTrue(noEcus.getDetail().contains("parameter 'ecus' is required"), noEcus.getDetail());
        CommandResponse cleared = run("clear-dtcs", OTA, Map.of("ecus", "engine"));
        assertEquals(CommandResponse.Status.COMPLETED, cleared.getStatus(), cleared::toString);
        assertEquals(Map.of("engine", "", "count", "0"), cleared.getValuesMap());
        assertEquals(List.of("clear [engine]", "read [engine]"), calls);
    }

    @Test void aFailureOfTheEcuIsTheCommandsFailure() {
        CommandResponse r = run("read-dtcs", OWNER, Map.of("ecus", "gearbox"));
        assertEquals(CommandResponse.Status.FAILED, r.getStatus(), r::toString);
        assertEquals("INVALID_PARAMS", r.getReasonCode());
        CommandResponse bad = run("read-dtcs", OWNER, Map.of("ecus", "engine;rm"));
        assertEquals(CommandResponse.Status.REJECTED, bad.getStatus());
        assertEquals("INVALID_PARAMS", bad.getReasonCode());
    }
}
