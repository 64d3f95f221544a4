package dev.vgate.command.sign;

import com.google.protobuf.ByteString;
import dev.vgate.trust.crypto.KeyFormatException;
import dev.vgate.trust.crypto.PrivateKey;
import dev.vgate.protocol.command.Command;
import dev.vgate.protocol.command.SignedCommand;
import dev.vgate.protocol.command.SignedKeySet;
import dev.vgate.protocol.command.KeySet;
import dev.vgate.protocol.command.RootSignature;

import java.util.Map;

/** The cloud side: signs commands and key sets (used by the CLI, tests and benchmarks). */
public final class CommandSigner {
    private CommandSigner() {}

    public static SignedCommand sign(Command command, String keyId, PrivateKey key) throws KeyFormatException {
        byte[] payload = command.toByteArray();
        return SignedCommand.newBuilder().setPayload(ByteString.copyFrom(payload))
                .setSignature(ByteString.copyFrom(key.sign(payload))).setKeyId(keyId).build();
    }

    /** Signs a key set with each given root key (id → key). */
    public static SignedKeySet signKeySet(KeySet set, Map<String, PrivateKey> roots) throws KeyFormatException {
        byte[] bytes = set.toByteArray();
        SignedKeySet.Builder b = SignedKeySet.newBuilder().setKeySet(ByteString.copyFrom(bytes));
        for (Map.Entry<String, PrivateKey> r : roots.entrySet()) {
            b.addSignatures(RootSignature.newBuilder().setKeyId(r.getKey()).setSignature(ByteString.copyFrom(r.getValue().sign(bytes))));
        }
        return b.build();
    }
}
