package dev.vgate.agent.systemd;

import dev.vgate.agent.config.VgateConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bitbake is not available here, so the layer is checked against the build by reading it: layer.conf, the
 * recipe's version against the Maven version, its sources against the checkout, and what it installs
 * against the unit, the default config and the code's defaults.
 */
class YoctoLayerTest {
    private static final Path LAYER = RepoFiles.root().resolve("yocto-layer/meta-vgate");

    /** Bitbake's default directory variables for a non-usrmerge target (scarthgap's defaults). */
    private static final Map<String, String> DIRS = Map.of("D", "", "datadir", "/usr/share", "sysconfdir", "/etc",
            "systemd_system_unitdir", "/lib/systemd/system", "nonarch_base_libdir", "/lib", "localstatedir", "/var",
            "base_sbindir", "/sbin", "docdir", "/usr/share/doc");

    @Test void layerConfDeclaresTheCollectionAndItsJavaLayer() throws IOException {
        Map<String, String> conf = assignments(LAYER.resolve("conf/layer.conf"));
        assertEquals("vgate", conf.get("BBFILE_COLLECTIONS"));
        assertEquals("^${LAYERDIR}/", conf.get("BBFILE_PATTERN_vgate"));
        Set<String> releases = Set.of(conf.get("LAYERSERIES_COMPAT_vgate").split("\\s+"));
        assertTrue(releases.containsAll(Set.of("scarthgap", "styhead", "walnascar")), releases.toString());
        assertTrue(List.of(conf.get("LAYERDEPENDS_vgate").split("\\s+")).contains("meta-openjdk-temurin"));
        // every recipe is reachable through BBFILES
        PathMatcher bbfiles = FileSystems.getDefault().getPathMatcher("glob:recipes-*/*/*.bb");
        for (Path recipe : recipes()) assertTrue(bbfiles.matches(LAYER.relativize(recipe)), recipe.toString());
    }

    @Test void recipeVersionIsTheMavenVersion() throws IOException {
        List<Path> recipes = recipes();
        assertEquals(1, recipes.size(), "one vgate recipe: " + recipes);
        String name = recipes.get(0).getFileName().toString();
        assertEquals("vgate_" + mavenVersion().replace("-SNAPSHOT", "") + ".bb", name);
    }

    @Test void recipeSourcesExistInTheCheckoutOrTheBuild() throws IOException {
        Map<String, String> r = assignments(recipes().get(0));
        List<Path> searchPath = new ArrayList<>();
        for (String dir : r.get("FILESEXTRAPATHS:prepend").split(":")) {
            if (!dir.isBlank()) searchPath.add(Path.of(dir.replace("${VGATE_SRC_DIR}", RepoFiles.root().toString())));
        }
        Matcher files = Pattern.compile("file://(\\S+)").matcher(r.get("SRC_URI"));
        List<String> missing = new ArrayList<>();
        while (files.find()) {
            String f = files.group(1);
            if (f.equals(shadedJarName())) {
                assertTrue(searchPath.contains(RepoFiles.root().resolve("agent/target")), "jar's folder on the path");
            } else if (searchPath.stream().noneMatch(d -> Files.isRegularFile(d.resolve(f)))) {
                missing.add(f);
            }
        }
        assertEquals(List.of(), missing, "SRC_URI files not found in " + searchPath);
    }

    @Test void installedFilesMatchTheUnitTheConfigAndTheCodeDefaults() throws Exception {
        Path recipe = recipes().get(0);
        Map<String, String> r = assignments(recipe);
        Map<String, String> installed = installedFiles(recipe); // destination -> source file name
        List<String> exec = RepoFiles.execStart();

        String jar = exec.get(exec.indexOf("-jar") + 1);
        assertEquals(shadedJarName(), installed.get(jar), "ExecStart's jar is the shaded jar");
        String config = exec.get(exec.indexOf("--config") + 1);
        assertEquals(VgateConfig.DEFAULT_FILE.toString(), config);
        assertEquals("vgate.yaml", installed.get(config));
        assertEquals("vgate.service", r.get("SYSTEMD_SERVICE:${PN}"));
        assertEquals("vgate.service", installed.get("/lib/systemd/system/vgate.service"));
        assertEquals("vgate-demo.dbc", installed.get("/etc/vgate/dbc/vgate-demo.dbc"));
        assertTrue(Files.readString(RepoFiles.root().resolve("systemd/vgate.yaml")).contains("dbc: dbc/vgate-demo.dbc"),
                "the default config reads the DBC the recipe installs (relative to /etc/vgate)");
        assertEquals("70-vgate-ota.rules", installed.get("/lib/udev/rules.d/70-vgate-ota.rules"));
        assertEquals("50-vgate.rules", installed.get("/usr/share/polkit-1/rules.d/50-vgate.rules"));
        String docs = RepoFiles.single(RepoFiles.unitSettings(RepoFiles.unit()), "Unit.Documentation");
        assertEquals("systemd.md", installed.get(docs.substring("file:".length())), "the unit's Documentation= exists");
        assertEquals("configuration.md", installed.get("/usr/share/doc/vgate/configuration.md"));
        List<String> pre = List.of(RepoFiles.single(RepoFiles.unitSettings(RepoFiles.unit()), "Service.ExecStartPre").split("\\s+"));
        assertEquals("vgate-cds", installed.get(pre.get(0)), "ExecStartPre's script is installed");
        assertEquals("vgate.classlist", installed.get(pre.get(3)), "the class list it reads is installed");
        assertEquals(10, installed.size(), installed.toString());

        Set<String> packaged = new TreeSet<>(List.of(expand(r.get("FILES:${PN}")).trim().split("\\s+")));
        for (String dest : installed.keySet()) {
            if (dest.startsWith("/etc/") || dest.startsWith("/usr/share/doc/")) continue; // default FILES of PN, PN-doc
            assertTrue(packaged.stream().anyMatch(dest::startsWith), dest + " is not in FILES:${PN} " + packaged);
        }
        assertEquals("/usr/bin/java", exec.get(0), "openjdk-17-jre's update-alternatives link");
        assertEquals("openjdk-17-jre", r.get("RDEPENDS:${PN}"));
    }

    @Test void systemUserMatchesTheUnit() throws IOException {
        Map<String, String> r = assignments(recipes().get(0));
        Map<String, List<String>> unit = RepoFiles.unitSettings(RepoFiles.unit());
        List<String> useradd = List.of(expand(r.get("USERADD_PARAM:${PN}")).trim().split("\\s+"));
        assertEquals(RepoFiles.single(unit, "Service.User"), useradd.get(useradd.size() - 1));
        assertEquals(RepoFiles.single(unit, "Service.SupplementaryGroups"), useradd.get(useradd.indexOf("--groups") + 1));
        assertEquals("--system " + RepoFiles.single(unit, "Service.SupplementaryGroups"), r.get("GROUPADD_PARAM:${PN}"));
        String home = useradd.get(useradd.indexOf("--home-dir") + 1);
        assertEquals("/var/lib/" + RepoFiles.single(unit, "Service.StateDirectory"), home);
        assertEquals(VgateConfig.DEFAULT_STATE_DIR.toString(), home);
        assertTrue(Files.readString(RepoFiles.root().resolve("systemd/70-vgate-ota.rules")).contains("GROUP=\"vgate-ota\""));
        assertTrue(Files.readString(recipes().get(0)).contains("s/rootfs_a|rootfs_b/${VGATE_SLOT_PARTLABELS}/"),
                "the recipe substitutes the board's slot names into the udev rule");
    }

    private static List<Path> recipes() throws IOException {
        try (Stream<Path> s = Files.walk(LAYER)) {
            return s.filter(p -> p.toString().endsWith(".bb")).sorted().toList();
        }
    }

    /** The project's own version: the first {@code <version>} after the parent's artifactId in the root pom. */
    private static String mavenVersion() throws IOException {
        String pom = Files.readString(RepoFiles.root().resolve("pom.xml"));
        Matcher m = Pattern.compile("<artifactId>vgate-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(), "no project version in pom.xml");
        return m.group(1);
    }

    /** The shade plugin's finalName in agent/pom.xml, plus .jar. */
    private static String shadedJarName() throws IOException {
        Matcher m = Pattern.compile("<finalName>([^<]+)</finalName>")
                .matcher(Files.readString(RepoFiles.root().resolve("agent/pom.xml")));
        assertTrue(m.find(), "no finalName in agent/pom.xml");
        return m.group(1) + ".jar";
    }

    /** {@code install ... SRC DEST} lines of do_install: destination path → source file name. */
    private static Map<String, String> installedFiles(Path recipe) throws IOException {
        String text = Files.readString(recipe);
        Matcher body = Pattern.compile("do_install\\(\\) \\{\\n(.*?)\\n}", Pattern.DOTALL).matcher(text);
        assertTrue(body.find(), "no do_install in " + recipe);
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : body.group(1).split("\\n")) {
            List<String> words = List.of(line.trim().split("\\s+"));
            if (words.isEmpty() || !words.get(0).equals("install") || words.contains("-d")) continue;
            String src = words.get(words.size() - 2);
            String dest = expand(words.get(words.size() - 1));
            out.put(dest, src.substring(src.lastIndexOf('/') + 1));
        }
        return out;
    }

    private static String expand(String s) {
        String out = s;
        for (Map.Entry<String, String> e : DIRS.entrySet()) out = out.replace("${" + e.getKey() + "}", e.getValue());
        return out;
    }

    /** Bitbake assignments ({@code VAR = "..."}, {@code ?=}, {@code :=}, {@code +=}), continuations joined. */
    static Map<String, String> assignments(Path file) throws IOException {
        String text = Files.readString(file).replaceAll("\\\\\\n", " ");
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("^([A-Za-z0-9_:${}\\-\\[\\]]+)\\s*(\\?\\?=|\\?=|:=|\\+=|=)\\s*\"(.*)\"\\s*$",
                Pattern.MULTILINE).matcher(text);
        while (m.find()) {
            String value = m.group(3).trim().replaceAll("\\s+", " ");
            out.merge(m.group(1), value, (a, b) -> m.group(2).equals("+=") ? a + " " + b : b);
        }
        return out;
    }
}
