package dev.ksim.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/module-template} builds and passes its tests as a project outside this repository would:
 * a copy of it runs {@code mvn verify} against a fresh local repository that holds only this build's ksim
 * artifacts (laid out as {@code mvn install} lays them out); third-party artifacts come from the local
 * repository of the build running the test, used read-only as a {@code file://} repository in place of Maven
 * Central, so the test needs no network.
 */
@Tag("integration")
class ModuleTemplateIT {
    private static final String GROUP = "dev/ksim/";

    @Test
    void theTemplateBuildsAndPassesItsTests(@TempDir Path tmp) throws Exception {
        Path root = Path.of(System.getProperty("ksim.root", ".."));
        String version = System.getProperty("ksim.version", "0.1.0-SNAPSHOT");
        Path repo = tmp.resolve("repository");
        publish(repo, "ksim-parent", version, root.resolve("pom.xml"), null);
        for (String module : List.of("sdk-api", "sim-kernel", "module-loader", "ksim-test")) {
            Path jar = root.resolve(module).resolve("target").resolve(module + "-" + version + ".jar");
            assertTrue(Files.isRegularFile(jar), jar + " is built by the package phase before this test");
            publish(repo, module, version, root.resolve(module).resolve("pom.xml"), jar);
        }
        Path project = tmp.resolve("module-template");
        copyTree(root.resolve("examples/module-template"), project);
        Path settings = tmp.resolve("settings.xml");
        Files.writeString(settings, settingsReplacingCentral(outerLocalRepository().toUri().toString()));

        List<String> cmd = new ArrayList<>(List.of(mvn(), "-B", "-s", settings.toString(),
                "-Dmaven.repo.local=" + repo, "-Dksim.version=" + version, "verify"));
        Path log = tmp.resolve("build.log");
        Process p = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(done, "mvn verify did not finish:\n" + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("Tests run: 3, Failures: 0, Errors: 0, Skipped: 0"), "the unit tests ran:\n" + out);
        assertTrue(out.contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0"), "the kernel tests ran:\n" + out);
        assertTrue(Files.isRegularFile(project.resolve("target/open-watch.jar")));
    }

    /**
     * @param url the repository to use for every third-party artifact and plugin
     * @return settings whose active profile redefines Maven Central as {@code url}, checksums not required (a
     *     local repository keeps none for what it built or copied)
     */
    private static String settingsReplacingCentral(String url) {
        String repository = """
                <ID>
                  <id>central</id>
                  <url>%s</url>
                  <releases><checksumPolicy>ignore</checksumPolicy></releases>
                  <snapshots><enabled>false</enabled></snapshots>
                </ID>""".formatted(url);
        return """
                <settings>
                  <profiles>
                    <profile>
                      <id>local-cache</id>
                      <repositories>%s</repositories>
                      <pluginRepositories>%s</pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles>
                    <activeProfile>local-cache</activeProfile>
                  </activeProfiles>
                </settings>
                """.formatted(repository.replace("ID", "repository"), repository.replace("ID", "pluginRepository"));
    }

    /** Lays out an artifact as {@code install:install-file} would: {@code group/artifact/version/artifact-version.ext}. */
    private static void publish(Path repo, String artifact, String version, Path pom, Path jar) throws IOException {
        Path dir = repo.resolve(GROUP + artifact + "/" + version);
        Files.createDirectories(dir);
        Files.copy(pom, dir.resolve(artifact + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, dir.resolve(artifact + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Copies the template's sources, not its build output (as a fresh clone has none). */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.filter(f -> !from.relativize(f).startsWith("target")).forEach(f -> {
                try {
                    Path dest = to.resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(dest);
                    } else {
                        Files.copy(f, dest);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** @return the local repository of the build running this test (where it fetched JUnit, Mockito, plugins) */
    private static Path outerLocalRepository() {
        String configured = System.getProperty("ksim.localRepository");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** @return the Maven that runs this build ({@code maven.home}), else {@code mvn} on the PATH */
    private static String mvn() {
        String home = System.getProperty("maven.home");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        return "mvn";
    }
}
