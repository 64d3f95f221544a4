package dev.vgate.rules;

import dev.vgate.rules.expr.Ast;
import dev.vgate.rules.expr.ConditionParser;
import dev.vgate.rules.expr.ExprSyntaxException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConditionParserTest {
    @Test void thresholdWithDebounce() throws Exception {
        Ast.Condition c = ConditionParser.parse("BMS_Temp > 60 for 200ms");
        assertEquals(200_000_000L, c.forNanos());
        Ast.Binary b = assertInstanceOf(Ast.Binary.class, c.expr());
        assertEquals(">", b.op());
        assertEquals("BMS_Temp", ((Ast.Ident) b.left()).name());
        Ast.Num n = (Ast.Num) b.right();
        assertEquals(60, n.value());
        assertNull(n.unit());
    }

    @Test void unitsAttachedOrAfterASpace() throws Exception {
        assertEquals("degC", ((Ast.Num) ((Ast.Binary) ConditionParser.parse("BMS_Temp > 60 degC").expr()).right()).unit());
        assertEquals("°C", ((Ast.Num) ((Ast.Binary) ConditionParser.parse("BMS_Temp > 60 °C").expr()).right()).unit());
        assertEquals("%", ((Ast.Num) ((Ast.Binary) ConditionParser.parse("drop(ChargePower, 10s) > 50%").expr()).right()).unit());
        assertEquals("km/h", ((Ast.Num) ((Ast.Binary) ConditionParser.parse("VehicleSpeed>30km/h").expr()).right()).unit());
        // an identifier after a number is a unit only if it is a known unit word
        assertThrows(ExprSyntaxException.class, () -> ConditionParser.parse("2 BMS_Temp > 1"));
    }

    @Test void precedenceOrAndNotComparisonArithmetic() throws Exception {
        Ast e = ConditionParser.parse("not A > 1 and B < 2 or C == 3 + 4 * 5").expr();
        Ast.Binary or = assertInstanceOf(Ast.Binary.class, e);
        assertEquals("or", or.op());
        Ast.Binary and = (Ast.Binary) or.left();
        assertEquals("and", and.op());
        assertEquals("not", ((Ast.Unary) and.left()).op());
        Ast.Binary eq = (Ast.Binary) or.right();
        Ast.Binary plus = (Ast.Binary) eq.right();
        assertEquals("+", plus.op());
        assertEquals("*", ((Ast.Binary) plus.right()).op());
    }

    @Test void callsAndParentheses() throws Exception {
        Ast e = ConditionParser.parse("(stale(BMS_Temp, 500ms) or inside(depot)) and rate(BMS_Thermal.BMS_Temp, 1min) > 2").expr();
        Ast.Binary and = (Ast.Binary) e;
        Ast.Call rate = (Ast.Call) ((Ast.Binary) and.right()).left();
        assertEquals("rate", rate.function());
        assertEquals("BMS_Thermal.BMS_Temp", ((Ast.Ident) rate.args().get(0)).name());
        assertEquals("min", ((Ast.Num) rate.args().get(1)).unit());
    }

    @Test void errorsNameTheColumn() {
        ExprSyntaxException e = assertThrows(ExprSyntaxException.class, () -> ConditionParser.parse("BMS_Temp > (60"));
        assertEquals(15, e.column());
        assertTrue(e.getMessage().contains("expected ')'"), e.getMessage());
        e = assertThrows(ExprSyntaxException.class, () -> ConditionParser.parse("BMS_Temp = 60"));
        assertTrue(e.getMessage().contains("'=='"), e.getMessage());
        e = assertThrows(ExprSyntaxException.class, () -> ConditionParser.parse("BMS_Temp > 60 for ever"));
        assertTrue(e.getMessage().contains("duration"), e.getMessage());
        e = assertThrows(ExprSyntaxException.class, () -> ConditionParser.parse("BMS_Temp > 60 for 5"));
        assertTrue(e.getMessage().contains("duration"), e.getMessage());
        e = assertThrows(ExprSyntaxException.class, () -> ConditionParser.parse("BMS_Temp > 60 )"));
        assertTrue(e.getMessage().contains("unexpected"), e.getMessage());
        assertThrows(ExprSyntaxException.class, () -> ConditionParser.parse("  "));
        assertThrows(ExprSyntaxException.class, () -> ConditionParser.parse("A > and"));
    }
}
