package dev.vgate.command.verify;

import com.google.protobuf.ByteString;
import dev.vgate.command.MutableClock;
import dev.vgate.command.exec.HandlerRegistry;
import dev.vgate.command.exec.KeySetUpdateHandler;
import dev.vgate.command.state.CommandStateDb;
import dev.vgate.trust.TrustStore;
import dev.vgate.protocol.command.Command;
import dev.vgate.protocol.command.SignedCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static dev.vgate.command.TestKeys.*;
import static org.junit.jupiter.api.Assertions.*;

class CommandVerifierTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
    @TempDir Path dir;
    private CommandStateDb db;
    private TrustStore trust;
    private CommandVerifier verifier;

    @BeforeEach void open() throws Exception {
        reopen();
    }

    private void reopen() throws Exception {
        if (db != null) db.close();
        db = CommandStateDb.open(dir);
        trust = TrustStore.open(initialState(), new dev.vgate.command.state.StateDbKeySets(db, clock));
        HandlerRegistry handlers = new HandlerRegistry();
        for (String t : new String[] {"lock", "unlock", "start-ota"}) handlers.register(t, c -> Map.of());
        handlers.register("climate", new dev.vgate.command.exec.CommandHandler() {
            @Override public void validate(Command c) throws CommandCatalog.InvalidParamsException {
                if (!c.containsParams("setpoint")) throw new CommandCatalog.InvalidParamsException("climate needs parameter 'setpoint'");
            }
            @Override public Map<String, String> execute(Command c) { return Map.of(); }
        });
        handlers.register(CommandTypes.KEY_SET_UPDATE, new KeySetUpdateHandler(trust));
        verifier = new CommandVerifier(VerifierConfig.defaults(VIN).withMaxEnvelopeBytes(4096), trust, db, handlers, clock);
    }

    @AfterEach void close() { db.close(); }

    private long now() { return clock.millis(); }

    private RejectReason rejection(byte[] envelope) {
        Verdict v = verifier.verify(envelope);
        assertInstanceOf(Verdict.Rejected.class, v, "expected a rejection");
        return ((Verdict.Rejected) v).reason();
    }

    private void assertAccepted(byte[] envelope) {
        Verdict v = verifier.verify(envelope);
        assertInstanceOf(Verdict.Accepted.class, v, () -> "expected acceptance, got " + v);
    }

    @Test void acceptsAValidCommandOnceAndRecordsIt() throws Exception {
        Command c = command("unlock", now()).build();
        byte[] env = signedBy(c, OWNER, OWNER);
        Verdict v = verifier.verify(env);
        assertEquals(new Verdict.Accepted(c, OWNER), v);
        assertTrue(db.isSeen(c.getCommandId()));
        assertEquals(c.getSequence(), db.lastSequence(OWNER).orElseThrow());
        assertEquals(RejectReason.REPLAYED, rejection(env));
    }

    @Test void acceptsP256Signatures() {
        assertAccepted(signed(command("start-ota", now()), OTA));
    }

    @Test void everyCheckHasItsOwnReason() {
        assertEquals(RejectReason.PAYLOAD_TOO_LARGE, rejection(new byte[4097]));
        assertEquals(RejectReason.MALFORMED, rejection(new byte[] {0x0a, 0x7f, 0x01}));
        assertEquals(RejectReason.MALFORMED, rejection(new byte[0]));
        assertEquals(RejectReason.UNKNOWN_KEY, rejection(signedBy(command("unlock", now()).build(), "nobody", OWNER)));
        assertEquals(RejectReason.KEY_REVOKED, rejection(signed(command("unlock", now()), REVOKED)));
        assertEquals(RejectReason.BAD_SIGNATURE, rejection(signedBy(command("unlock", now()).build(), OWNER, NEWER)));
        assertEquals(RejectReason.WRONG_VEHICLE, rejection(signed(command("unlock", now()).setVehicleId("OTHERVIN"), OWNER)));
        assertEquals(RejectReason.EXPIRED, rejection(signed(command("unlock", now() - 600_000), OWNER)));
        assertEquals(RejectReason.NOT_YET_VALID, rejection(signed(command("unlock", now() + 600_000), OWNER)));
        assertEquals(RejectReason.VALIDITY_TOO_LONG, rejection(signed(command("unlock", now()).setExpiresAtMs(now() + Duration.ofDays(2).toMillis()), OWNER)));
        assertEquals(RejectReason.ROLE_NOT_ALLOWED, rejection(signed(command("start-ota", now()), OWNER)));
        assertEquals(RejectReason.UNKNOWN_TYPE, rejection(signed(command("horn", now()), NEWER)));
        assertEquals(RejectReason.INVALID_PARAMS, rejection(signed(command("climate", now()), OWNER)));
    }

    @Test void aFlippedPayloadBitIsABadSignature() {
        SignedCommand s = SignedCommand.newBuilder().mergeFrom(parse(signed(command("unlock", now()), OWNER))).build();
        byte[] payload = s.getPayload().toByteArray();
        payload[payload.length - 1] ^= 1;
        byte[] tampered = s.toBuilder().setPayload(ByteString.copyFrom(payload)).build().toByteArray();
        assertEquals(RejectReason.BAD_SIGNATURE, rejection(tampered));
    }

    private static SignedCommand parse(byte[] b) {
        try { return SignedCommand.parseFrom(b); } catch (Exception e) { throw new AssertionError(e); }
    }

    @Test void structureProblemsAreMalformed() {
        assertEquals(RejectReason.MALFORMED, rejection(signed(command("unlock", now()).setCommandId(""), OWNER)));
        assertEquals(RejectReason.MALFORMED, rejection(signed(command("unlock", now()).setExpiresAtMs(now() - 1), OWNER)));
        assertEquals(RejectReason.MALFORMED, rejection(signed(command("unlock", now()).setSequence(-1), OWNER)));
        byte[] unsigned = parse(signed(command("unlock", now()), OWNER)).toBuilder().clearSignature().build().toByteArray();
        assertEquals(RejectReason.MALFORMED, rejection(unsigned));
    }

    @Test void clockSkewIsHonouredBothWays() {
        // issued 20 s in the future: inside the 30 s default skew
        assertAccepted(signed(command("unlock", now() + 20_000), OWNER));
        // expired 20 s ago: still inside the skew
        assertAccepted(signed(command("unlock", now() - 60_000).setExpiresAtMs(now() - 20_000), OWNER));
        assertEquals(RejectReason.EXPIRED, rejection(signed(command("unlock", now() - 90_000).setExpiresAtMs(now() - 30_000), OWNER)));
        assertEquals(RejectReason.NOT_YET_VALID, rejection(signed(command("unlock", now() + 31_000), OWNER)));
    }

    @Test void sequenceMustIncreasePerKeyAndRejectionsDoNotConsumeIt() {
        assertAccepted(signed(command("unlock", now()).setSequence(100), OWNER));
        assertEquals(RejectReason.SEQUENCE_NOT_INCREASING, rejection(signed(command("lock", now()).setSequence(100), OWNER)));
        assertEquals(RejectReason.SEQUENCE_NOT_INCREASING, rejection(signed(command("lock", now()).setSequence(99), OWNER)));
        // another key has its own sequence
        assertAccepted(signed(command("start-ota", now()).setSequence(5), OTA));
        // a rejected command (wrong vehicle) with sequence 200 does not move the owner's sequence
        assertEquals(RejectReason.WRONG_VEHICLE, rejection(signed(command("lock", now()).setSequence(200).setVehicleId("X"), OWNER)));
        assertAccepted(signed(command("lock", now()).setSequence(101), OWNER));
    }

    @Test void replayAndSequenceStateSurviveARestart() throws Exception {
        byte[] env = signed(command("unlock", now()).setSequence(500), OWNER);
        assertAccepted(env);
        reopen();
        assertEquals(RejectReason.REPLAYED, rejection(env));
        assertEquals(RejectReason.SEQUENCE_NOT_INCREASING, rejection(signed(command("lock", now()).setSequence(400), OWNER)));
    }

    @Test void seenIdsArePrunedAfterTheValidityWindow() throws Exception {
        assertAccepted(signed(command("unlock", now()), OWNER));
        assertEquals(0, db.pruneSeen(now()));
        clock.advance(Duration.ofSeconds(60 + 31));
        assertEquals(1, db.pruneSeen(now()));
        assertEquals(0, db.seenCount());
    }

    @Test void keySetUpdateNeedsThresholdAndHigherVersion() {
        byte[] oneSig = signedKeySet(keySet(2, OWNER_COMMANDS), "root-1");
        assertEquals(RejectReason.KEYSET_THRESHOLD_NOT_MET, rejection(signed(command("key-set-update", now()).setBody(ByteString.copyFrom(oneSig)), "root-1")));
        // the same root signing twice counts once
        byte[] dup = signedKeySet(keySet(2, OWNER_COMMANDS), "root-1", "root-1");
        assertEquals(RejectReason.KEYSET_THRESHOLD_NOT_MET, rejection(signed(command("key-set-update", now()).setBody(ByteString.copyFrom(dup)), "root-1")));
        byte[] sameVersion = signedKeySet(keySet(1, OWNER_COMMANDS), "root-1", "root-3");
        assertEquals(RejectReason.KEYSET_VERSION_NOT_NEWER, rejection(signed(command("key-set-update", now()).setBody(ByteString.copyFrom(sameVersion)), "root-1")));
        assertEquals(RejectReason.KEYSET_MALFORMED, rejection(signed(command("key-set-update", now()).setBody(ByteString.copyFromUtf8("nonsense")), "root-1")));
        // a root key may sign key-set-update and nothing else
        assertEquals(RejectReason.ROLE_NOT_ALLOWED, rejection(signed(command("unlock", now()), "root-1")));
    }

    @Test void appliedKeySetRevokesAtOnceAndPersists() throws Exception {
        byte[] okBefore = signed(command("unlock", now()), OWNER);
        byte[] body = signedKeySet(keySet(2, Set.of(), OWNER), "root-2", "root-3");
        Verdict v = verifier.verify(signed(command("key-set-update", now()).setBody(ByteString.copyFrom(body)), "root-2"));
        assertInstanceOf(Verdict.Accepted.class, v);
        new KeySetUpdateHandler(trust).execute(((Verdict.Accepted) v).command());
        assertEquals(2, trust.current().version());
        assertEquals(RejectReason.KEY_REVOKED, rejection(okBefore));
        reopen();
        assertEquals(2, trust.current().version());
        assertEquals(RejectReason.KEY_REVOKED, rejection(signed(command("unlock", now()), OWNER)));
        // the OTA key was kept
        assertAccepted(signed(command("start-ota", now()), OTA));
        // and an old version cannot come back, nor can the revoked key be re-listed
        byte[] back = signedKeySet(keySet(3, OWNER_COMMANDS), "root-1", "root-2");
        assertEquals(RejectReason.KEYSET_MALFORMED, rejection(signed(command("key-set-update", now()).setBody(ByteString.copyFrom(back)), "root-1")));
    }

    @Test void neverThrowsOnGarbage() {
        java.util.Random r = new java.util.Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[r.nextInt(300)];
            r.nextBytes(b);
            assertInstanceOf(Verdict.Rejected.class, verifier.verify(b));
        }
    }
}
