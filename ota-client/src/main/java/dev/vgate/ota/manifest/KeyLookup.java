package dev.vgate.ota.manifest;

import java.util.Optional;

/** Where verifiers find trusted keys. The trust file implements it now; the commands' trust store later. */
@FunctionalInterface
public interface KeyLookup {
    Optional<TrustedKey> find(String keyId);
}
