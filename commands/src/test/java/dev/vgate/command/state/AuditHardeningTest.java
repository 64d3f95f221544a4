package dev.vgate.command.state;

import com.google.protobuf.ByteString;
import dev.vgate.command.CommandStack;
import dev.vgate.command.MutableClock;
import dev.vgate.command.TestKeys;
import dev.vgate.command.exec.CanCommandMapping;
import dev.vgate.command.testing.CapturingLogWriter;
import dev.vgate.command.verify.VerifierConfig;
import dev.vgate.protocol.command.CommandResponse;
import dev.vgate.protocol.command.SignedCommand;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Issue 18, cases 4 and 7: the audit trail is bounded and unsigned claims cannot forge log lines. */
class AuditHardeningTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));

    @Test void theAuditTableKeepsAtMostItsRowLimitNewestFirst() throws Exception {
        try (CommandStateDb db = CommandStateDb.inMemory()) {
            byte[] sha = new byte[32];
            for (int i = 0; i < CommandStateDb.AUDIT_MAX_ROWS + 50; i++) db.audit(clock.millis(), "c" + i, "k", "t", "UNKNOWN_KEY", "d", sha);
            assertEquals(CommandStateDb.AUDIT_MAX_ROWS, db.auditCount());
            List<AuditEntry> all = db.allAudit();
            assertEquals("c50", all.get(0).commandId(), "the oldest went first");
            assertEquals("c" + (CommandStateDb.AUDIT_MAX_ROWS + 49), all.get(all.size() - 1).commandId());
        }
    }

    @Test void auditRowsOlderThanThirtyDaysAreDropped() throws Exception {
        try (CommandStateDb db = CommandStateDb.inMemory()) {
            long t0 = clock.millis();
            db.audit(t0, "old", "k", "t", "UNKNOWN_KEY", "d", new byte[32]);
            db.audit(t0 + CommandStateDb.AUDIT_MAX_AGE_MS - 1, "recent", "k", "t", "UNKNOWN_KEY", "d", new byte[32]);
            assertEquals(2, db.auditCount());
            db.audit(t0 + CommandStateDb.AUDIT_MAX_AGE_MS + 1, "new", "k", "t", "UNKNOWN_KEY", "d", new byte[32]);
            assertEquals(List.of("recent", "new"), db.allAudit().stream().map(AuditEntry::commandId).toList());
        }
    }

    @Test void anUnsignedEnvelopeCannotForgeLogLinesOrTerminalEscapes() throws Exception {
        String forged = "x'\n2026-11-23 12:00:00 INFO command unlock completed\u001b[2J\u009b";
        try (CommandStateDb db = CommandStateDb.inMemory();
             CommandStack stack = CommandStack.create(VerifierConfig.defaults(TestKeys.VIN), TestKeys.initialState(), db,
                     CanCommandMapping.none(), CommandStack.Sinks.refusing(), clock)) {
            byte[] envelope = SignedCommand.newBuilder().setKeyId(forged)
                    .setPayload(TestKeys.command("unlock", clock.millis()).setCommandId(forged).build().toByteString())
                    .setSignature(ByteString.copyFrom(new byte[64])).build().toByteArray();
            CommandResponse r = stack.processor().process(envelope);
            assertEquals(CommandResponse.Status.REJECTED, r.getStatus());
            assertEquals("UNKNOWN_KEY", r.getReasonCode());
            String line = CapturingLogWriter.lines().stream().filter(l -> l.contains("command rejected UNKNOWN_KEY")).reduce((a, b) -> b).orElseThrow();
            assertFalse(line.contains("\n") || line.contains("\u001b") || line.contains("\u009b"), line);
            assertTrue(line.contains("key 'x'\\n2026-11-23 12:00:00 INFO command unlock completed\\u001b[2J\\u009b'"), line);
            AuditEntry row = db.allAudit().get(0);
            for (String s : List.of(row.keyId(), row.commandId(), row.detail())) {
                assertFalse(s.contains("\n") || s.contains("\u001b"), s);
            }
        }
    }
}
