package dev.vgate.command.mqtt;

import com.google.protobuf.ByteString;
import dev.vgate.command.exec.CanCommandMapping;
import dev.vgate.canbus.CanFrame;
import dev.vgate.dbc.DecodeStatus;
import dev.vgate.protocol.command.CommandResponse;
import dev.vgate.protocol.command.CommandResponse.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.vgate.command.TestKeys.*;
import static org.junit.jupiter.api.Assertions.*;

/** Valid commands over the broker: the mapped frame reaches the bus and the result is COMPLETED. */
class CommandExecutionTest {
    @TempDir static Path dir;
    private static CommandRig rig;
    private static CanCommandMapping mapping;

    @BeforeAll static void start() throws Exception {
        mapping = CanCommandMapping.defaults();
        rig = new CommandRig(dir, mapping, 64 * 1024);
    }

    @AfterAll static void stop() { if (rig != null) rig.close(); }

    @BeforeEach void clear() {
        rig.frames.clear();
        rig.configs.clear();
        rig.otaManifests.clear();
    }

    private static long now() { return System.currentTimeMillis(); }

    /** Decodes a frame with the mapping's DBC: signal name → label (or physical value). */
    private static Map<String, Object> decode(CanFrame f) {
        Map<String, Object> out = new HashMap<>();
        DecodeStatus st = mapping.dbc().newDecoder().decode(f.id(), f.isExtended(), f.data(), f.length(),
                (sig, raw, value) -> out.put(sig.name(), sig.label(raw) != null ? sig.label(raw) : value));
        assertEquals(DecodeStatus.OK, st);
        return out;
    }

    @Test void unlockPutsTheMappedFrameOnTheBusAndCompletes() throws Exception {
        CommandResponse r = rig.roundTrip(signed(command("unlock", now()), OWNER));
        assertEquals(Status.COMPLETED, r.getStatus(), r::toString);
        assertEquals(1, rig.frames.size());
        CanFrame f = rig.frames.get(0);
        assertEquals(784, f.id());                 // Body_Command
        assertFalse(f.isExtended());
        assertEquals(8, f.length());
        assertEquals(2, f.data()[0] & 0x03, "DoorLockRequest raw 2 = UNLOCK in bits 0..1");
        assertEquals("UNLOCK", decode(f).get("DoorLockRequest"));
    }

    @Test void lockHornLightsAndClimateUseTheirMappings() throws Exception {
        assertEquals(Status.COMPLETED, rig.roundTrip(signed(command("lock", now()), OWNER)).getStatus());
        assertEquals(Status.COMPLETED, rig.roundTrip(signed(command("horn", now()).putParams("duration_ms", "300"), OWNER)).getStatus());
        assertEquals(Status.COMPLETED, rig.roundTrip(signed(command("lights", now()).putParams("mode", "ON"), OWNER)).getStatus());
        assertEquals(Status.COMPLETED, rig.roundTrip(signed(command("climate", now()).putParams("setpoint", "21.5"), OWNER)).getStatus());
        List<Map<String, Object>> d = rig.frames.stream().map(CommandExecutionTest::decode).toList();
        assertEquals(4, d.size());
        assertEquals("LOCK", d.get(0).get("DoorLockRequest"));
        assertEquals(1.0, d.get(1).get("HornRequest"));
        assertEquals(300.0, d.get(1).get("HornDuration"));
        assertEquals("ON", d.get(2).get("LightsRequest"));
        assertEquals(785, rig.frames.get(3).id());
        assertEquals(21.5, d.get(3).get("CabinSetpoint"));
        assertEquals(1.0, d.get(3).get("ClimateOn"));
    }

    @Test void outOfRangeOrUnknownParametersAreRejectedBeforeAnythingIsSent() throws Exception {
        CommandResponse r = rig.roundTrip(signed(command("climate", now()).putParams("setpoint", "300"), OWNER));
        assertEquals(Status.REJECTED, r.getStatus());
        assertEquals("INVALID_PARAMS", r.getReasonCode());
        assertTrue(r.getDetail().contains("CabinSetpoint"), r.getDetail());
        r = rig.roundTrip(signed(command("climate", now()), OWNER));
        assertEquals("INVALID_PARAMS", r.getReasonCode());
        assertTrue(r.getDetail().contains("setpoint"), r.getDetail());
        r = rig.roundTrip(signed(command("unlock", now()).putParams("door", "all"), OWNER));
        assertEquals("INVALID_PARAMS", r.getReasonCode());
        r = rig.roundTrip(signed(command("lights", now()).putParams("mode", "DISCO"), OWNER));
        assertEquals("INVALID_PARAMS", r.getReasonCode());
        assertEquals(List.of(), rig.frames);
    }

    @Test void configAndOtaBodiesReachTheirConsumers() throws Exception {
        byte[] manifest = "manifest-bytes".getBytes(StandardCharsets.UTF_8);
        assertEquals(Status.COMPLETED, rig.roundTrip(signed(command("start-ota", now()).setBody(ByteString.copyFrom(manifest)), OTA)).getStatus());
        assertArrayEquals(manifest, rig.otaManifests.get(0));
        // the owner key may not send rules: ROLE_NOT_ALLOWED, nothing applied
        CommandResponse r = rig.roundTrip(signed(command("rules", now()).setBody(ByteString.copyFromUtf8("rules: []")), OWNER));
        assertEquals("ROLE_NOT_ALLOWED", r.getReasonCode());
        assertEquals(List.of(), rig.configs);
    }

    @Test void aKeySetUpdateOverMqttRotatesAndRevokesAtOnce(@TempDir Path own) throws Exception {
        try (CommandRig rig = new CommandRig(own, mapping, 64 * 1024)) { // its own state: it revokes the owner key
            rotateAndRevoke(rig);
        }
    }

    private static void rotateAndRevoke(CommandRig rig) throws Exception {
        // version 2 gives the OTA key the rules role too; version 3 revokes the owner key
        byte[] v2 = signedKeySet(dev.vgate.protocol.command.KeySet.newBuilder().setVersion(2)
                .addKeys(entry(OWNER, OWNER_COMMANDS)).addKeys(entry(OTA, Set.of("start-ota", "rules", "collection-policy"))).build(), "root-1", "root-3");
        CommandResponse r = rig.roundTrip(signed(command("key-set-update", now()).setBody(ByteString.copyFrom(v2)), "root-3"));
        assertEquals(Status.COMPLETED, r.getStatus(), r::toString);
        assertEquals("2", r.getValuesOrThrow("key_set_version"));
        assertEquals(Status.COMPLETED, rig.roundTrip(signed(command("rules", now()).setBody(ByteString.copyFromUtf8("rules: []")), OTA)).getStatus());
        assertEquals(List.of("RULES:rules: []"), rig.configs);

        byte[] preSigned = signed(command("unlock", now()), OWNER);
        byte[] v3 = signedKeySet(keySet(3, Set.of(), OWNER), "root-2", "root-3");
        assertEquals(Status.COMPLETED, rig.roundTrip(signed(command("key-set-update", now()).setBody(ByteString.copyFrom(v3)), "root-2")).getStatus());
        r = rig.roundTrip(preSigned);
        assertEquals("KEY_REVOKED", r.getReasonCode());
        assertEquals(List.of(), rig.frames);
    }
}
