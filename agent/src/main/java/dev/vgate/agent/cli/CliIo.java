package dev.vgate.agent.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Binary stdin/stdout for the command tools ("-" means the standard stream). */
final class CliIo {
    private CliIo() {}

    static byte[] readInput(String in, int max) throws IOException {
        byte[] b = "-".equals(in) ? System.in.readNBytes(max + 1) : readFile(Path.of(in), max);
        return b;
    }

    private static byte[] readFile(Path p, int max) throws IOException {
        // at most one byte over the limit (so the verifier reports PAYLOAD_TOO_LARGE like the agent does), whatever
        // the file claims: /dev/zero has size 0 and never ends
        try (var in = Files.newInputStream(p)) { return in.readNBytes(max + 1); }
    }

    static void writeOutput(String out, byte[] data) throws IOException {
        if ("-".equals(out)) {
            OutputStream o = System.out;
            o.write(data);
            o.flush();
        } else {
            Files.write(Path.of(out), data);
        }
    }
}
