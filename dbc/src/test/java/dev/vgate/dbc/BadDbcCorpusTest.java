package dev.vgate.dbc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each broken file in src/test/resources/dev/vgate/dbc/bad fails with its own file:line:column message. */
class BadDbcCorpusTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            truncated_in_signal.dbc              | 10:21: expected ')', found end of file
            bad_number_factor.dbc                | 10:18: expected the factor, found '1.2.3'
            bad_number_message_id.dbc            | 9:5: expected the message id, found '10x'
            unknown_multiplexer.dbc              | 10:2: expected a multiplexer switch (M) in message Msg for multiplexed signal A (m1), found none
            signal_longer_than_64_bits.dbc       | 10:15: expected a signal length of 1 to 64 bits, found 65 (signal Wide)
            message_longer_than_64_bytes.dbc     | 9:14: expected a message length of 0 to 64 bytes, found 65
            bad_byte_order.dbc                   | 10:14: expected byte order 0 (big endian) or 1 (little endian), found '2'
            unterminated_string.dbc              | 9:13: expected the closing '"' of the string started here, found end of file
            signal_outside_message.dbc           | 9:2: expected SG_ to follow a BO_ message, found SG_ outside a message
            mux_switch_not_a_multiplexer.dbc     | 13:1: expected SG_MUL_VAL_ switch B to be a multiplexer (M or mNM) signal of message Msg, found no such signal
            mux_cycle.dbc                        | 10:2: expected multiplexer switches of message Msg to form a tree, found a cycle through S1
            bad_attribute_type.dbc               | 12:17: expected the attribute type (INT, HEX, FLOAT, STRING, ENUM), found 'NUMBER'
            garbage_bytes.dbc                    | 1:1: expected a keyword (BO_, SG_, CM_, ...), found '‰'
            value_table_missing_label.dbc        | 12:22: expected the label of value 1, found ';'
            """)
    void brokenFileGivesItsSpecificError(String file, String expected) throws Exception {
        DbcParseException e;
        try (InputStream in = getClass().getResourceAsStream("bad/" + file)) {
            assertNotNull(in, file);
            e = assertThrows(DbcParseException.class, () -> DbcDatabase.load(in, file));
        }
        assertEquals(file + ":" + expected, e.getMessage());
        assertEquals(file, e.file());
        assertEquals(Integer.parseInt(expected.substring(0, expected.indexOf(':'))), e.line());
    }
}
