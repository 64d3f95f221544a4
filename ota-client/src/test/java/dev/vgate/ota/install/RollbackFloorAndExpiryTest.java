package dev.vgate.ota.install;

import dev.vgate.ota.OtaException;
import dev.vgate.ota.OtaException.Reason;
import dev.vgate.ota.TestDevice;
import dev.vgate.ota.manifest.ManifestSigner;
import dev.vgate.ota.manifest.Version;
import dev.vgate.trust.crypto.PrivateKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Manifest expiry and the persisted anti-rollback floor (issue 13 item 2). */
class RollbackFloorAndExpiryTest {
    @TempDir Path dir;
    TestDevice dev;

    @BeforeEach void device() throws Exception { dev = new TestDevice(dir, 64 * 1024); }

    @AfterEach void close() { dev.close(); }

    private Reason refusal(byte[] envelope) throws Exception {
        OtaException e = assertThrows(OtaException.class, () -> dev.installer().accept(envelope));
        return e.reason();
    }

    @Test void anExpiredOrUndatedManifestIsRefused() throws Exception {
        assertEquals(Reason.EXPIRED, refusal(dev.signed(b -> b.setExpiresEpochSeconds(System.currentTimeMillis() / 1000 - 3600))));
        assertEquals(Reason.EXPIRED, refusal(dev.signed(b -> b.clearExpiresEpochSeconds())));
        // within the skew (30 s) it is still fresh; 2^64-1 seconds is far future, not an overflowed past
        assertNotNull(dev.installer().accept(dev.signed(b -> b.setExpiresEpochSeconds(System.currentTimeMillis() / 1000 - 10))));
        assertNotNull(dev.installer().accept(dev.signed(b -> b.setExpiresEpochSeconds(-1L))));
    }

    @Test void aCommitRaisesThePersistedFloorAndOlderVersionsNeedTheRootThreshold() throws Exception {
        InstallRecord r = dev.store.create(dev.signed(b -> b.setTargetVersion("1.5.0")), "A", "B", "1.0.0", "1.5.0");
        dev.store.finish(r, InstallState.COMMITTED, UpdateOutcome.Result.SUCCESS, "test");
        assertEquals(Version.parse("1.5.0"), dev.store.rollbackFloor().orElseThrow());
        // survives a reopen of the store (the database is the install store's, synchronous=EXTRA)
        dev.store.close();
        dev.store = new InstallStore(dev.dbFile, Clock.systemUTC());
        assertEquals(Version.parse("1.5.0"), dev.store.rollbackFloor().orElseThrow());
        dev.store.raiseFloor("1.2.0"); // never lowered
        assertEquals(Version.parse("1.5.0"), dev.store.rollbackFloor().orElseThrow());

        // 1.1.0 is newer than the running 1.0.0 but below the floor: refused, even with allow_downgrade
        assertEquals(Reason.DOWNGRADE, refusal(dev.signed(b -> {})));
        assertEquals(Reason.DOWNGRADE, refusal(dev.signed(b -> b.setAllowDowngrade(true))));
        // co-signed by the root threshold (1 of 1 here): a deliberate rollback is accepted
        PrivateKey stranger = TestDevice.newKey();
        var m = dev.manifest().setAllowDowngrade(true).build();
        byte[] rootApproved = new ManifestSigner(dev.key, "release").sign(m, Map.of("root-1", dev.root)).toByteArray();
        assertNotNull(dev.installer().accept(rootApproved));
        byte[] forgedRoot = new ManifestSigner(dev.key, "release").sign(m, Map.of("root-1", stranger)).toByteArray();
        assertEquals(Reason.DOWNGRADE, refusal(forgedRoot));
    }
}
