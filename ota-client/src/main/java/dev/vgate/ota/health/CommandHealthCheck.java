package dev.vgate.ota.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external command; exit 0 within the budget passes. The last output line goes into the detail. */
public final class CommandHealthCheck implements HealthCheck {
    private final String name;
    private final List<String> command;

    public CommandHealthCheck(String name, List<String> command) {
        this.name = name;
        this.command = List.copyOf(command);
    }

    @Override public String name() { return name; }

    @Override public Result check(Duration budget) throws InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return Result.fail("cannot start " + command + ": " + e.getMessage());
        }
        if (!p.waitFor(Math.max(1, budget.toMillis()), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            return Result.fail(command + " did not finish within " + budget.toMillis() + " ms");
        }
        String out;
        try {
            out = new String(p.getInputStream().readNBytes(4096), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            out = "";
        }
        String last = out.isEmpty() ? "" : out.substring(out.lastIndexOf('\n') + 1);
        return p.exitValue() == 0 ? Result.pass(last) : Result.fail(command + " exited " + p.exitValue() + (last.isEmpty() ? "" : ": " + last));
    }
}
