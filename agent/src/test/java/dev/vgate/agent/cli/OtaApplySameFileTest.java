package dev.vgate.agent.cli;

import dev.vgate.agent.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Issue 18, case 5: {@code ota apply --to} through a symlink or hard link to {@code --from} is refused, the image untouched. */
class OtaApplySameFileTest {
    @Test void aLinkToTheRunningImageIsRefused(@TempDir Path dir) throws Exception {
        Path img = Files.writeString(dir.resolve("running.img"), "the running image");
        Path sym = Files.createSymbolicLink(dir.resolve("sym.img"), img);
        Path hard = Files.createLink(dir.resolve("hard.img"), img);
        Path dummy = Files.writeString(dir.resolve("dummy"), "x");
        for (Path to : new Path[] {sym, hard}) {
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            java.io.PrintStream old = System.err;
            int code;
            try {
                System.setErr(new java.io.PrintStream(err, true));
                code = Main.run("ota", "apply", "--trust", dummy.toString(), "--manifest", dummy.toString(), "--patch", dummy.toString(),
                        "--from", img.toString(), "--to", to.toString());
            } finally {
                System.setErr(old);
            }
            assertEquals(VgateCommand.EXIT_REJECTED, code, "--to " + to);
            assertEquals("vgate ota apply: --to " + to + " is the same file as --from " + img
                    + " (refusing to overwrite the image being read)\n", err.toString());
            assertEquals("the running image", Files.readString(img));
        }
    }
}
