package dev.vgate.agent.systemd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * systemd/vgate-cds (the unit's ExecStartPre=): makes the class-data-sharing archive from the shipped class
 * list once per jar, leaves it alone while the jar is the same, makes it again for a new jar, and the JVM
 * accepts the archive for that jar.
 */
class VgateCdsTest {
    @TempDir Path dir;

    private final String java = ProcessHandle.current().info().command().orElse("java");

    @Test void makesTheArchiveOncePerJar() throws Exception {
        Path jar = dir.resolve("vgate.jar");
        writeJar(jar);
        Path archive = dir.resolve("state/vgate.jsa");
        Files.createDirectories(archive.getParent());

        Result first = cds(jar, archive);
        assertEquals(0, first.code, first.out);
        assertTrue(first.out.contains("archive " + archive + " made"), first.out);
        assertTrue(Files.size(archive) > 1 << 20, "an archive of the listed JDK classes at least");
        FileTime made = Files.getLastModifiedTime(archive);

        Result again = cds(jar, archive);
        assertEquals(0, again.code, again.out);
        assertEquals("", again.out.strip(), "same jar: nothing to do");
        assertEquals(made, Files.getLastModifiedTime(archive));

        Result use = run(java, "-Xshare:on", "-XX:+UseSerialGC", "-XX:SharedArchiveFile=" + archive, "-cp", jar.toString(), "-version");
        assertEquals(0, use.code, "-Xshare:on fails when the archive does not fit the jar: " + use.out);

        writeJar(jar); // an update installs another jar
        Files.setLastModifiedTime(jar, FileTime.fromMillis(made.toMillis() - 86_400_000L)); // even an older-looking one
        Result remade = cds(jar, archive);
        assertEquals(0, remade.code, remade.out);
        assertTrue(remade.out.contains("made"), remade.out);
    }

    @Test void neverBlocksTheStart() throws Exception {
        Path jar = dir.resolve("vgate.jar");
        writeJar(jar);
        Path archive = dir.resolve("not-writable/vgate.jsa"); // its folder does not exist
        Result r = cds(jar, archive);
        assertEquals(0, r.code, r.out);
        assertTrue(r.out.contains("could not make"), r.out);
        assertFalse(Files.exists(archive));
    }

    private Result cds(Path jar, Path archive) throws Exception {
        Path script = RepoFiles.root().resolve("systemd/vgate-cds");
        Path list = RepoFiles.root().resolve("systemd/vgate.classlist");
        return run(script.toString(), java, jar.toString(), list.toString(), archive.toString());
    }

    private static void writeJar(Path jar) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.putNextEntry(new java.util.jar.JarEntry("stamp-" + System.nanoTime()));
            j.write("x".getBytes(StandardCharsets.UTF_8));
        }
    }

    private record Result(int code, String out) {}

    private static Result run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
