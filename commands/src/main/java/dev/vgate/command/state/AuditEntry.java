package dev.vgate.command.state;

/** One rejected command as recorded in the audit table; ids and type are as claimed by the (unverified) sender. */
public record AuditEntry(long id, long atMs, String commandId, String keyId, String type, String reasonCode,
                         String detail, byte[] envelopeSha256) {}
