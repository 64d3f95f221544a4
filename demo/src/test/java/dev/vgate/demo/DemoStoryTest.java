package dev.vgate.demo;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vgate demo} end to end: every step of the story happened, with the facts it prints. */
class DemoStoryTest {
    @TempDir Path dir;

    @Test void theDemoTellsTheWholeStory() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = DemoMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute("demo", "--duration", "2m", "--keep", dir.toString());
        String story = out.toString();
        assertEquals(0, exit, story + err);

        // 2 min at 139 frames per simulated second, every one decoded
        assertTrue(story.contains("16,680 CAN frames played"), story);
        assertTrue(story.contains("16680 decoded, 0 unknown"), story);
        // the thermal cutoff: the rule's CAN action on the bus, its alert at the cloud, the fault code
        assertTrue(story.contains("cutoff frame 301#"), story);
        assertTrue(story.contains("BMS_Command{ChargeCurrentLimit=0, ContactorRequest=OPEN, CutoffReason=1}"), story);
        assertTrue(number(story, "on can0 ([0-9.]+) ms after the frame that completed the condition") >= 0, story);
        assertTrue(story.contains("battery-overtemp-cutoff fired"), story);
        assertTrue(story.contains("P0A7E"), story);
        // the BMS's DTC read over ISO-TP (UDS 0x19) and uploaded with its freeze frame (pack temperature from the config's DID table)
        assertTrue(story.contains("to the BMS: P0A7E status=0x2F testFailed,testFailedThisOperationCycle,pendingDTC,confirmedDTC"), story);
        assertTrue(story.contains("dtc/bms P0A7E status=0x2F"), story);
        assertTrue(story.matches("(?s).*freeze/bms/P0A7E r1\\.pack_temp=6[0-9].*"), story);
        // telemetry reached the cloud and decoded there
        assertTrue(number(story, "telemetry ([0-9,]+) samples") > 10_000, story);
        assertTrue(number(story, ": ([0-9.]+) bytes per sample") > 0, story);
        // the signed command went to the bus and came back
        assertTrue(story.contains("Body_Command{"), story);
        assertTrue(story.contains("HornRequest=1"), story);
        assertTrue(story.contains("result COMPLETED"), story);
        // the update: written to B, switched, verified after the reboot, reported
        assertTrue(story.contains("slot B holds the new image: true; bootloader: primary B, slot B TRIAL"), story);
        assertTrue(story.contains("slot B GOOD, primary B"), story);
        assertTrue(story.contains("\"result\":\"success\""), story);
        // what it leaves behind with --keep: the config an operator would write, the buffer
        assertTrue(Files.exists(dir.resolve("vgate-slot-A.yaml")));
        assertTrue(Files.exists(dir.resolve("state/telemetry.db")));
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex + " in:\n" + text);
        return Double.parseDouble(m.group(1).replace(",", ""));
    }
}
