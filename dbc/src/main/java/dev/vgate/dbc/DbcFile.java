package dev.vgate.dbc;

import java.util.List;
import java.util.Map;

/**
 * The neutral model of one DBC file: what the text says, statement by statement, before any checks.
 * {@link DbcCompiler} turns it into a {@link DbcDatabase}. Every element keeps its line for warnings.
 */
record DbcFile(
        String name,
        String version,
        List<String> nodes,
        List<MessageDef> messages,
        List<CommentDef> comments,
        List<AttributeDef> attributeDefs,
        Map<String, Object> attributeDefaults,
        List<AttributeValue> attributes,
        Map<String, Map<Long, String>> valueTables,
        List<ValueDescription> valueDescriptions,
        List<SignalValueType> valueTypes,
        List<MuxValues> muxValues,
        List<SignalGroup> signalGroups,
        List<EnvVar> envVars,
        List<TxSenders> txSenders,
        List<DbcWarning> warnings) {

    /** BO_: {@code rawId} as written (bit 31 is the extended-id flag). */
    record MessageDef(long rawId, String name, int length, String sender, List<SignalDef> signals, int line, int column) {}

    /**
     * SG_. {@code muxValue} is the N of "mN" (null if not multiplexed); {@code multiplexer} is true for "M" and "mNM".
     */
    record SignalDef(String name, boolean multiplexer, Long muxValue, int startBit, int length, boolean littleEndian,
                     boolean signed, double factor, double offset, double minimum, double maximum, String unit,
                     List<String> receivers, int line, int column) {}

    enum Target { NETWORK, NODE, MESSAGE, SIGNAL, ENV_VAR }

    /** CM_. {@code objectName} is the node/env var/signal name, {@code messageId} the raw BO_ id. */
    record CommentDef(Target target, String objectName, long messageId, String text, int line) {}

    /** BA_DEF_ (and BA_DEF_REL_ is skipped). {@code type} is INT, HEX, FLOAT, STRING or ENUM. */
    record AttributeDef(Target target, String name, String type, List<String> enumValues, int line) {}

    /** BA_: value is a Double or a String. */
    record AttributeValue(String name, Target target, String objectName, long messageId, Object value, int line) {}

    /** VAL_ for a signal. */
    record ValueDescription(long messageId, String signal, Map<Long, String> labels, int line) {}

    /** SIG_VALTYPE_: 0 integer, 1 IEEE float, 2 IEEE double. */
    record SignalValueType(long messageId, String signal, int type, int line) {}

    /** SG_MUL_VAL_: signal {@code signal} is active when {@code switchName} is in one of the ranges [lo, hi]. */
    record MuxValues(long messageId, String signal, String switchName, List<long[]> ranges, int line) {}

    record SignalGroup(long messageId, String name, int repetitions, List<String> signals, int line) {}

    record EnvVar(String name, int type, double minimum, double maximum, String unit, int line) {}

    /** BO_TX_BU_: more senders of a message. */
    record TxSenders(long messageId, List<String> senders, int line) {}
}
