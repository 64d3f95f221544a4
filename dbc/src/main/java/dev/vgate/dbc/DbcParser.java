package dev.vgate.dbc;

import dev.vgate.dbc.DbcFile.AttributeDef;
import dev.vgate.dbc.DbcFile.AttributeValue;
import dev.vgate.dbc.DbcFile.CommentDef;
import dev.vgate.dbc.DbcFile.EnvVar;
import dev.vgate.dbc.DbcFile.MessageDef;
import dev.vgate.dbc.DbcFile.MuxValues;
import dev.vgate.dbc.DbcFile.SignalDef;
import dev.vgate.dbc.DbcFile.SignalGroup;
import dev.vgate.dbc.DbcFile.SignalValueType;
import dev.vgate.dbc.DbcFile.Target;
import dev.vgate.dbc.DbcFile.TxSenders;
import dev.vgate.dbc.DbcFile.ValueDescription;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads DBC text into a {@link DbcFile}, statement by statement. Syntax errors throw
 * {@link DbcParseException}; things that can be read but are odd (unknown keywords, a comment on a bare
 * message number) become warnings.
 */
final class DbcParser {
    /** Keywords that start a statement; skipping an unknown statement stops at a line starting with one. */
    static final Set<String> KEYWORDS = Set.of("VERSION", "NS_", "BS_", "BU_", "BO_", "SG_", "CM_", "BA_DEF_",
            "BA_DEF_DEF_", "BA_", "VAL_", "VAL_TABLE_", "SIG_VALTYPE_", "BO_TX_BU_", "SIG_GROUP_", "EV_",
            "SG_MUL_VAL_", "BA_DEF_REL_", "BA_REL_", "BA_DEF_DEF_REL_", "BU_SG_REL_", "BU_EV_REL_", "BU_BO_REL_",
            "ENVVAR_DATA_", "SGTYPE_", "SGTYPE_VAL_", "BA_DEF_SGTYPE_", "BA_SGTYPE_", "SIG_TYPE_REF_", "CAT_DEF_",
            "CAT_", "FILTER", "EV_DATA_", "SIGTYPE_VALTYPE_", "NS_DESC_");
    /** Known statements that carry nothing vgate uses (relations, signal types, categories): skipped quietly. */
    private static final Set<String> IGNORED = Set.of("BA_DEF_REL_", "BA_REL_", "BA_DEF_DEF_REL_", "BU_SG_REL_",
            "BU_EV_REL_", "BU_BO_REL_", "ENVVAR_DATA_", "SGTYPE_", "SGTYPE_VAL_", "BA_DEF_SGTYPE_", "BA_SGTYPE_",
            "SIG_TYPE_REF_", "CAT_DEF_", "CAT_", "FILTER", "EV_DATA_", "SIGTYPE_VALTYPE_");

    private final DbcCursor in;
    private String version = "";
    private final List<String> nodes = new ArrayList<>();
    private final List<MessageDef> messages = new ArrayList<>();
    private final List<CommentDef> comments = new ArrayList<>();
    private final List<AttributeDef> attributeDefs = new ArrayList<>();
    private final Map<String, Object> attributeDefaults = new LinkedHashMap<>();
    private final List<AttributeValue> attributes = new ArrayList<>();
    private final Map<String, Map<Long, String>> valueTables = new LinkedHashMap<>();
    private final List<ValueDescription> valueDescriptions = new ArrayList<>();
    private final List<SignalValueType> valueTypes = new ArrayList<>();
    private final List<MuxValues> muxValues = new ArrayList<>();
    private final List<SignalGroup> signalGroups = new ArrayList<>();
    private final List<EnvVar> envVars = new ArrayList<>();
    private final List<TxSenders> txSenders = new ArrayList<>();
    private final List<DbcWarning> warnings = new ArrayList<>();
    /** The message whose SG_ lines are being read, or null. */
    private List<SignalDef> currentSignals;

    private DbcParser(String file, String text) {
        this.in = new DbcCursor(file, text);
    }

    static DbcFile parse(String text, String file) throws DbcParseException {
        return new DbcParser(file, text).parseAll();
    }

    private DbcFile parseAll() throws DbcParseException {
        while (true) {
            in.skipSpace();
            if (in.atEnd()) break;
            int line = in.line();
            int col = in.column();
            String kw = in.peekWord();
            if (kw == null) throw in.expected("a keyword (BO_, SG_, CM_, ...)");
            in.word();
            if (!kw.equals("SG_")) currentSignals = null;
            switch (kw) {
                case "VERSION" -> version = in.string("the version string");
                case "NS_" -> parseNewSymbols();
                case "BS_" -> parseBitTiming();
                case "BU_" -> parseNodes();
                case "BO_" -> parseMessage(line, col);
                case "SG_" -> parseSignal(line, col);
                case "CM_" -> parseComment(line);
                case "BA_DEF_" -> parseAttributeDef(line);
                case "BA_DEF_DEF_" -> parseAttributeDefault();
                case "BA_" -> parseAttribute(line);
                case "VAL_" -> parseValueDescription(line);
                case "VAL_TABLE_" -> parseValueTable();
                case "SIG_VALTYPE_" -> parseValueType(line);
                case "BO_TX_BU_" -> parseTxSenders(line);
                case "SIG_GROUP_" -> parseSignalGroup(line);
                case "EV_" -> parseEnvVar(line);
                case "SG_MUL_VAL_" -> parseMuxValues(line);
                default -> {
                    if (!IGNORED.contains(kw)) warn(line, col, "unknown keyword " + kw + " skipped");
                    in.skipStatement(KEYWORDS);
                }
            }
        }
        return new DbcFile(in.file(), version, List.copyOf(nodes), List.copyOf(messages), List.copyOf(comments),
                List.copyOf(attributeDefs), attributeDefaults, List.copyOf(attributes), valueTables,
                List.copyOf(valueDescriptions), List.copyOf(valueTypes), List.copyOf(muxValues),
                List.copyOf(signalGroups), List.copyOf(envVars), List.copyOf(txSenders), warnings);
    }

    /**
     * The ';' that ends a statement. Some real files leave it out (opendbc's generated files); when the next
     * line starts a new statement, that is read as the end, with a warning.
     */
    private void endStatement(String statement) throws DbcParseException {
        if (in.accept(';')) return;
        int line = in.line();
        if (in.atStatementStart(KEYWORDS)) {
            warn(line, in.column(), "missing ';' at the end of " + statement);
            return;
        }
        throw in.expected("';' at the end of " + statement);
    }

    private void warn(int line, int col, String message) {
        warnings.add(new DbcWarning(in.file(), line, col, message));
    }

    /** NS_ : followed by indented symbol names, one per line, up to the next line starting in column 1. */
    private void parseNewSymbols() throws DbcParseException {
        in.expect(':');
        while (true) {
            in.skipBlanks();
            if (!in.atLineEnd()) {
                if (in.word() == null) throw in.expected("a symbol name");
                continue;
            }
            in.skipSpace();
            if (in.atEnd() || in.column() == 1) return;
            if (in.peekWord() == null) throw in.expected("a symbol name");
        }
    }

    /** BS_: [baudrate : BTR1 , BTR2] — obsolete; read and dropped. */
    private void parseBitTiming() throws DbcParseException {
        in.expect(':');
        if (in.atLineEnd()) return;
        in.integer("the baud rate");
        in.expect(':');
        in.integer("BTR1");
        in.expect(',');
        in.integer("BTR2");
    }

    private void parseNodes() throws DbcParseException {
        in.expect(':');
        while (!in.atLineEnd()) nodes.add(in.identifier("a node name"));
    }

    private void parseMessage(int line, int col) throws DbcParseException {
        long rawId = in.integer("the message id");
        if (rawId < 0 || rawId > 0xFFFFFFFFL) throw in.error("a message id of 0 to 4294967295", Long.toString(rawId));
        String name = in.identifier("the message name");
        in.expect(':');
        in.skipSpace();
        int lenLine = in.line();
        int lenCol = in.column();
        long length = in.integer("the message length");
        if (length < 0 || length > 64) {
            throw new DbcParseException(in.file(), lenLine, lenCol, "expected a message length of 0 to 64 bytes, found " + length);
        }
        String sender = in.atLineEnd() ? "" : in.identifier("the sending node");
        List<SignalDef> signals = new ArrayList<>();
        messages.add(new MessageDef(rawId, name, (int) length, sender, signals, line, col));
        currentSignals = signals;
    }

    private void parseSignal(int line, int col) throws DbcParseException {
        if (currentSignals == null) throw new DbcParseException(in.file(), line, col, "expected SG_ to follow a BO_ message, found SG_ outside a message");
        String name = in.identifier("the signal name");
        boolean multiplexer = false;
        Long muxValue = null;
        in.skipSpace();
        if (in.peek() != ':') {
            int ml = in.line();
            int mc = in.column();
            String ind = in.word();
            if (ind == null) throw in.expected("':' or a multiplexer indicator (M, mN, mNM)");
            if (ind.equals("M")) {
                multiplexer = true;
            } else if (ind.matches("m[0-9]+M?")) {
                multiplexer = ind.endsWith("M");
                String digits = ind.substring(1, multiplexer ? ind.length() - 1 : ind.length());
                try {
                    muxValue = Long.parseLong(digits);
                } catch (NumberFormatException e) {
                    throw new DbcParseException(in.file(), ml, mc, "expected a multiplexer value within 64 bits, found '" + ind + "'");
                }
            } else if (ind.equals("m")) {
                warn(ml, mc, "multiplexer indicator 'm' of signal " + name + " read as 'M'");
                multiplexer = true;
            } else {
                throw new DbcParseException(in.file(), ml, mc, "expected ':' or a multiplexer indicator (M, mN, mNM), found '" + ind + "'");
            }
        }
        in.expect(':');
        int startLine = in.line();
        int startCol = in.column();
        long start = in.integer("the start bit");
        in.expect('|');
        int lenCol = in.column();
        long length = in.integer("the signal length");
        in.expect('@');
        boolean littleEndian;
        if (in.accept('1')) littleEndian = true;
        else if (in.accept('0')) littleEndian = false;
        else throw in.expected("byte order 0 (big endian) or 1 (little endian)");
        boolean signed;
        if (in.accept('-')) signed = true;
        else if (in.accept('+')) signed = false;
        else throw in.expected("'+' (unsigned) or '-' (signed)");
        in.expect('(');
        double factor = in.number("the factor");
        in.expect(',');
        double offset = in.number("the offset");
        in.expect(')');
        in.expect('[');
        double min = in.number("the minimum");
        in.expect('|');
        double max = in.number("the maximum");
        in.expect(']');
        String unit = in.string("the unit string");
        List<String> receivers = new ArrayList<>();
        while (!in.atLineEnd()) {
            if (in.accept(',')) continue;
            receivers.add(in.identifier("a receiving node"));
        }
        if (length < 1 || length > 64) {
            throw new DbcParseException(in.file(), startLine, lenCol, "expected a signal length of 1 to 64 bits, found " + length + " (signal " + name + ")");
        }
        if (start < 0 || start > 511) {
            throw new DbcParseException(in.file(), startLine, startCol, "expected a start bit of 0 to 511, found " + start + " (signal " + name + ")");
        }
        if (!Double.isFinite(factor) || !Double.isFinite(offset)) {
            throw new DbcParseException(in.file(), startLine, startCol, "expected a finite factor and offset (signal " + name + ")");
        }
        if (factor == 0) warn(line, col, "signal " + name + " has factor 0; every raw value decodes to the offset");
        if (Character.isDigit(name.charAt(0))) warn(line, col, "signal name " + name + " starts with a digit");
        currentSignals.add(new SignalDef(name, multiplexer, muxValue, (int) start, (int) length, littleEndian, signed,
                factor, offset, min, max, unit, List.copyOf(receivers), line, col));
    }

    private void parseComment(int line) throws DbcParseException {
        in.skipSpace();
        if (in.peek() == '"') {
            comments.add(new CommentDef(Target.NETWORK, null, 0, in.string("the comment"), line));
        } else if (in.atNumber()) {
            int col = in.column();
            long id = in.integer("the message id");
            in.string("the comment");
            warn(line, col, "CM_ " + id + " without BO_ is not standard DBC; comment ignored");
        } else {
            String kind = in.identifier("BU_, BO_, SG_, EV_ or a comment string");
            switch (kind) {
                case "BU_" -> comments.add(new CommentDef(Target.NODE, in.identifier("the node name"), 0, in.string("the comment"), line));
                case "EV_" -> comments.add(new CommentDef(Target.ENV_VAR, in.identifier("the variable name"), 0, in.string("the comment"), line));
                case "BO_" -> {
                    long id = in.integer("the message id");
                    comments.add(new CommentDef(Target.MESSAGE, null, id, in.string("the comment"), line));
                }
                case "SG_" -> {
                    long id = in.integer("the message id");
                    in.skipSpace();
                    if (in.peek() == '"') {
                        in.string("the comment");
                        warn(line, 1, "CM_ SG_ " + id + " without a signal name; comment ignored");
                    } else {
                        String sig = in.identifier("the signal name");
                        comments.add(new CommentDef(Target.SIGNAL, sig, id, in.string("the comment"), line));
                    }
                }
                default -> throw in.error("BU_, BO_, SG_, EV_ or a comment string", "'" + kind + "'");
            }
        }
        endStatement("CM_");
    }

    private Target optionalTarget() {
        in.skipSpace();
        String w = in.peekWord();
        if (w == null) return Target.NETWORK;
        Target t = switch (w) {
            case "BU_" -> Target.NODE;
            case "BO_" -> Target.MESSAGE;
            case "SG_" -> Target.SIGNAL;
            case "EV_" -> Target.ENV_VAR;
            default -> Target.NETWORK;
        };
        if (t != Target.NETWORK) in.word();
        return t;
    }

    private void parseAttributeDef(int line) throws DbcParseException {
        Target target = optionalTarget();
        String name = in.string("the attribute name");
        in.skipSpace();
        int typeLine = in.line();
        int typeCol = in.column();
        String type = in.identifier("the attribute type (INT, HEX, FLOAT, STRING, ENUM)");
        List<String> enumValues = new ArrayList<>();
        switch (type) {
            case "INT", "HEX", "FLOAT" -> {
                in.number("the minimum");
                in.number("the maximum");
            }
            case "STRING" -> { }
            case "ENUM" -> {
                in.skipSpace();
                if (in.peek() == '"') {
                    enumValues.add(in.string("an enum value"));
                    while (in.accept(',')) enumValues.add(in.string("an enum value"));
                }
            }
            default -> throw new DbcParseException(in.file(), typeLine, typeCol,
                    "expected the attribute type (INT, HEX, FLOAT, STRING, ENUM), found '" + type + "'");
        }
        endStatement("BA_DEF_");
        attributeDefs.add(new AttributeDef(target, name, type, List.copyOf(enumValues), line));
    }

    private Object attributeValue() throws DbcParseException {
        in.skipSpace();
        if (in.peek() == '"') return in.string("the attribute value");
        return in.number("the attribute value (a number or a string)");
    }

    private void parseAttributeDefault() throws DbcParseException {
        String name = in.string("the attribute name");
        attributeDefaults.put(name, attributeValue());
        endStatement("BA_DEF_DEF_");
    }

    private void parseAttribute(int line) throws DbcParseException {
        String name = in.string("the attribute name");
        Target target = optionalTarget();
        String objectName = null;
        long messageId = 0;
        switch (target) {
            case NODE, ENV_VAR -> objectName = in.identifier("the object name");
            case MESSAGE -> messageId = in.integer("the message id");
            case SIGNAL -> {
                messageId = in.integer("the message id");
                objectName = in.identifier("the signal name");
            }
            default -> { }
        }
        Object value = attributeValue();
        endStatement("BA_");
        attributes.add(new AttributeValue(name, target, objectName, messageId, value, line));
    }

    private Map<Long, String> labels(String statement) throws DbcParseException {
        Map<Long, String> labels = new LinkedHashMap<>();
        while (!in.accept(';')) {
            if (!in.atNumber()) {
                endStatement(statement);
                break;
            }
            int line = in.line();
            int col = in.column();
            double v = in.number("a value or ';'");
            String label = in.string("the label of value " + fmt(v));
            if (v != Math.rint(v) || Math.abs(v) > 9.2e18) {
                warn(line, col, "value " + fmt(v) + " of a value table is not an integer; label \"" + label + "\" ignored");
                continue;
            }
            labels.put((long) v, label);
        }
        return labels;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private void parseValueDescription(int line) throws DbcParseException {
        in.skipSpace();
        if (!in.atNumber()) { // VAL_ of an environment variable
            in.identifier("the message id or an environment variable name");
            labels("VAL_");
            return;
        }
        long id = in.integer("the message id");
        String sig = in.identifier("the signal name");
        valueDescriptions.add(new ValueDescription(id, sig, labels("VAL_"), line));
    }

    private void parseValueTable() throws DbcParseException {
        String name = in.identifier("the value table name");
        valueTables.put(name, labels("VAL_TABLE_"));
    }

    private void parseValueType(int line) throws DbcParseException {
        long id = in.integer("the message id");
        String sig = in.identifier("the signal name");
        in.accept(':');
        long type = in.integer("the value type (0, 1 or 2)");
        if (type < 0 || type > 2) throw in.error("the value type (0, 1 or 2)", Long.toString(type));
        endStatement("SIG_VALTYPE_");
        valueTypes.add(new SignalValueType(id, sig, (int) type, line));
    }

    private void parseTxSenders(int line) throws DbcParseException {
        long id = in.integer("the message id");
        in.expect(':');
        List<String> senders = new ArrayList<>();
        while (!in.accept(';')) {
            if (in.accept(',')) continue;
            senders.add(in.identifier("a sending node or ';'"));
        }
        txSenders.add(new TxSenders(id, List.copyOf(senders), line));
    }

    private void parseSignalGroup(int line) throws DbcParseException {
        long id = in.integer("the message id");
        String name = in.identifier("the signal group name");
        long repetitions = in.integer("the repetitions");
        in.expect(':');
        List<String> sigs = new ArrayList<>();
        while (!in.accept(';')) {
            if (in.accept(',')) continue;
            sigs.add(in.identifier("a signal name or ';'"));
        }
        signalGroups.add(new SignalGroup(id, name, (int) repetitions, List.copyOf(sigs), line));
    }

    /** EV_ name : type [min|max] "unit" initial id access_type access_nodes; */
    private void parseEnvVar(int line) throws DbcParseException {
        String name = in.identifier("the environment variable name");
        in.expect(':');
        long type = in.integer("the variable type");
        in.expect('[');
        double min = in.number("the minimum");
        in.expect('|');
        double max = in.number("the maximum");
        in.expect(']');
        String unit = in.string("the unit string");
        in.number("the initial value");
        in.number("the variable id");
        in.identifier("the access type (DUMMY_NODE_VECTORn)");
        while (!in.accept(';')) {
            if (in.accept(',')) continue;
            in.identifier("an access node or ';'");
        }
        envVars.add(new EnvVar(name, (int) type, min, max, unit, line));
    }

    /** SG_MUL_VAL_ id signal switch lo-hi, lo-hi; */
    private void parseMuxValues(int line) throws DbcParseException {
        long id = in.integer("the message id");
        String sig = in.identifier("the signal name");
        String sw = in.identifier("the multiplexer switch name");
        List<long[]> ranges = new ArrayList<>();
        do {
            long lo = in.integer("the low end of a multiplexer range");
            in.expect('-');
            long hi = in.integer("the high end of a multiplexer range");
            if (hi < lo) throw in.error("a range low-high with low <= high", lo + "-" + hi);
            ranges.add(new long[] {lo, hi});
        } while (in.accept(','));
        endStatement("SG_MUL_VAL_");
        muxValues.add(new MuxValues(id, sig, sw, List.copyOf(ranges), line));
    }
}
