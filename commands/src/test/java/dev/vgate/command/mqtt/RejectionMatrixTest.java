package dev.vgate.command.mqtt;

import com.google.protobuf.ByteString;
import dev.vgate.command.exec.CanCommandMapping;
import dev.vgate.command.state.AuditEntry;
import dev.vgate.command.testing.CapturingLogWriter;
import dev.vgate.protocol.command.AuditRecord;
import dev.vgate.protocol.command.Command;
import dev.vgate.protocol.command.CommandResponse;
import dev.vgate.protocol.command.CommandResponse.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.vgate.command.TestKeys.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 6's matrix over a real (embedded) MQTT v5 broker: every bad command gets an ACK, then a
 * REJECTED result with its own reason code; each is logged with that code and detail; none executes
 * anything; each is in the audit table and is uploaded to vgate/{vehicle}/audit.
 */
class RejectionMatrixTest {
    private static final int MAX_ENVELOPE = 16 * 1024;
    @TempDir static Path dir;
    private static CommandRig rig;

    @BeforeAll static void start() throws Exception {
        rig = new CommandRig(dir, CanCommandMapping.defaults(), MAX_ENVELOPE);
    }

    @AfterAll static void stop() { if (rig != null) rig.close(); }

    private static long now() { return System.currentTimeMillis(); }

    @Test void everyBadCommandIsRejectedWithItsOwnReasonNothingRunsAndEachIsAudited() throws Exception {
        List<AuditRecord> uploaded = new CopyOnWriteArrayList<>();
        var auditor = CommandRig.link(rig.broker);
        auditor.subscribe(CommandTopics.audit(VIN), 1, m -> {
            try { uploaded.add(AuditRecord.parseFrom(m.payload())); } catch (Exception e) { throw new AssertionError(e); }
        });
        CommandRig.awaitSubscriptions(auditor);

        // a completed get-state whose envelope is replayed below
        byte[] done = signed(command("get-state", now()).putParams("signals", "SoC"), OWNER);
        CommandResponse first = rig.roundTrip(done);
        assertEquals(Status.COMPLETED, first.getStatus(), first::toString);

        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("BAD_SIGNATURE", signedBy(command("unlock", now()).build(), OWNER, NEWER));
        cases.put("ROLE_NOT_ALLOWED", signed(command("start-ota", now()).setBody(ByteString.copyFromUtf8("manifest")), OWNER));
        cases.put("REPLAYED", done);
        cases.put("EXPIRED", signed(command("unlock", now() - 300_000), OWNER));
        cases.put("NOT_YET_VALID", signed(command("unlock", now() + 300_000), OWNER));
        cases.put("WRONG_VEHICLE", signed(command("unlock", now()).setVehicleId("WRONGVIN000000000"), OWNER));
        cases.put("SEQUENCE_NOT_INCREASING", signed(command("unlock", now()).setSequence(1), OWNER));
        cases.put("MALFORMED", new byte[] {0x0a, (byte) 0xff, 0x7f, 0x12});
        cases.put("PAYLOAD_TOO_LARGE", signed(command("unlock", now()).setBody(ByteString.copyFrom(new byte[MAX_ENVELOPE])), OWNER));
        // UNKNOWN_TYPE cannot arise here: a key may hold only known types, and this rig handles them all
        // (CommandVerifierTest: an agent without a handler for 'horn')
        cases.put("KEY_REVOKED", signed(command("unlock", now()), REVOKED));
        cases.put("UNKNOWN_KEY", signedBy(command("unlock", now()).build(), "stranger-9", OWNER));
        cases.put("KEYSET_THRESHOLD_NOT_MET", signed(command("key-set-update", now())
                .setBody(ByteString.copyFrom(signedKeySet(keySet(5, OWNER_COMMANDS), "root-1"))), "root-1"));
        cases.put("KEYSET_VERSION_NOT_NEWER", signed(command("key-set-update", now())
                .setBody(ByteString.copyFrom(signedKeySet(keySet(1, OWNER_COMMANDS), "root-1", "root-2"))), "root-2"));

        List<String> expectedCodes = new ArrayList<>();
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            CommandResponse r = rig.roundTrip(c.getValue());
            assertEquals(Status.REJECTED, r.getStatus(), () -> c.getKey() + ": " + r);
            assertEquals(c.getKey(), r.getReasonCode(), () -> c.getKey() + ": " + r);
            assertFalse(r.getDetail().isEmpty(), c.getKey() + " has a detail");
            expectedCodes.add(c.getKey());
            // logged at WARN with the same code and detail as the answer
            String logged = "WARN AuditLog: command rejected " + c.getKey() + ": " + r.getDetail() + " (command_id '" + r.getCommandId() + "'";
            assertTrue(CapturingLogWriter.lines().stream().anyMatch(l -> l.startsWith(logged)), () -> "no log line " + logged);
        }

        // nothing executed: no frame, no config, no OTA, key set unchanged
        assertEquals(List.of(), rig.frames);
        assertEquals(List.of(), rig.configs);
        assertEquals(List.of(), rig.otaManifests);
        assertEquals(1, rig.stack.trust().current().version());

        // each rejection audited, in order, and uploaded (PUBACKed, so marked)
        List<String> audited = new ArrayList<>();
        for (AuditEntry a : rig.stack.state().allAudit()) audited.add(a.reasonCode());
        assertEquals(expectedCodes, audited);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((uploaded.size() < expectedCodes.size() || !rig.stack.state().pendingAudit(100).isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(), rig.stack.state().pendingAudit(100));
        List<String> uploadedCodes = new ArrayList<>();
        uploaded.stream().sorted(java.util.Comparator.comparingLong(AuditRecord::getId)).forEach(a -> uploadedCodes.add(a.getReasonCode()));
        assertEquals(expectedCodes, uploadedCodes);
        auditor.close();
    }

    @Test void theAckArrivesBeforeTheResultWithTheSameCorrelation() throws Exception {
        Command c = command("get-state", now()).putParams("signals", "SoC").build();
        CommandClient.Exchange ex = rig.cloud.send(VIN, signedBy(c, OWNER, OWNER), 30);
        CommandResponse ack = ex.ack.get(10, TimeUnit.SECONDS);
        CommandResponse result = ex.result.get(10, TimeUnit.SECONDS);
        assertEquals(CommandResponse.Stage.ACK, ack.getStage());
        assertEquals(c.getCommandId(), ack.getCommandId());
        assertEquals(c.getCommandId(), result.getCommandId());
        assertTrue(ex.ackNanos() <= ex.resultNanos());
        assertEquals("SoC", result.getValuesOrThrow("missing"));
    }
}
