package dev.vgate.command.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import dev.vgate.command.MutableClock;
import dev.vgate.command.TestKeys;
import dev.vgate.command.exec.HandlerRegistry;
import dev.vgate.command.exec.KeySetUpdateHandler;
import dev.vgate.command.state.CommandStateDb;
import dev.vgate.trust.TrustStore;
import dev.vgate.command.verify.CommandTypes;
import dev.vgate.command.verify.CommandVerifier;
import dev.vgate.command.verify.RejectReason;
import dev.vgate.command.verify.Verdict;
import dev.vgate.command.verify.VerifierConfig;
import dev.vgate.protocol.command.Command;
import dev.vgate.protocol.command.SignedCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes the envelope and command parsers through the verifier: whatever the bytes, the answer is a
 * typed {@link Verdict} and never {@link RejectReason#INTERNAL_ERROR}. The first byte picks how far in
 * the input reaches:
 * 0 — the raw envelope; 1 — a Command payload, validly signed by the owner key (so freshness, role,
 * type, parameter, replay and sequence checks see fuzzed values); 2 — the body of a root-signed
 * key-set-update (the SignedKeySet/KeySet parser and rotation rules).
 *
 * <p>In the build this runs the seed inputs (regression mode) and, in the {@code fuzz} surefire
 * execution, fuzzes for a bounded time; docs/commands.md#fuzzing has the command for a longer run.
 */
class CommandEnvelopeFuzzTest {
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
    private static CommandStateDb db;
    private static CommandVerifier verifier;

    @BeforeAll static void setUp() throws Exception {
        db = CommandStateDb.inMemory();
        TrustStore trust = TrustStore.open(TestKeys.initialState(), new dev.vgate.command.state.StateDbKeySets(db, CLOCK));
        HandlerRegistry handlers = new HandlerRegistry();
        for (String t : TestKeys.OWNER_COMMANDS) handlers.register(t, c -> Map.of());
        handlers.register(CommandTypes.KEY_SET_UPDATE, new KeySetUpdateHandler(trust));
        verifier = new CommandVerifier(VerifierConfig.defaults(TestKeys.VIN), trust, db, handlers, CLOCK);
    }

    @AfterAll static void tearDown() { db.close(); }

    @FuzzTest(maxDuration = "20s")
    void verifierAnswersEveryInputWithATypedVerdict(byte[] input) {
        if (input.length == 0) return;
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        byte[] envelope;
        switch (Math.floorMod(input[0], 3)) {
            case 1:
                envelope = SignedCommand.newBuilder().setPayload(ByteString.copyFrom(rest))
                        .setSignature(ByteString.copyFrom(sign(TestKeys.OWNER, rest))).setKeyId(TestKeys.OWNER).build().toByteArray();
                break;
            case 2:
                long now = CLOCK.millis();
                Command c = Command.newBuilder().setCommandId("fuzz-" + System.nanoTime()).setVehicleId(TestKeys.VIN)
                        .setIssuedAtMs(now).setExpiresAtMs(now + 60_000).setSequence(System.nanoTime())
                        .setType(CommandTypes.KEY_SET_UPDATE).setBody(ByteString.copyFrom(rest)).build();
                envelope = TestKeys.signedBy(c, "root-1", "root-1");
                break;
            default:
                envelope = rest;
        }
        Verdict v = verifier.verify(envelope);
        assertNotNull(v);
        if (v instanceof Verdict.Rejected) {
            Verdict.Rejected r = (Verdict.Rejected) v;
            assertNotEquals(RejectReason.INTERNAL_ERROR, r.reason(), r.detail());
            assertNotNull(r.detail());
        }
    }

    private static byte[] sign(String keyId, byte[] data) {
        try {
            return TestKeys.key(keyId).sign(data);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
