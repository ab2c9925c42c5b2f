package dev.weft.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.weft.testing.Cmd;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled distribution ({@code target/weft-agent}) run as a user runs it: the real
 * launcher, a real JVM, exit codes as a shell sees them.
 */
class LauncherDistIT {
    static Path dist;

    @TempDir
    Path tmp;

    @BeforeAll
    static void locate() {
        dist = Path.of(System.getProperty("weft.dist.dir", "target/weft-agent")).toAbsolutePath();
        assertThat(dist.resolve("bin/weft")).as("run 'mvn package' first").isExecutable();
    }

    /** Runs {@code launcher args} with a clean environment plus {@code env}. */
    static Cmd.Result run(Path launcher, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "-i", "PATH=/usr/bin:/bin:/usr/sbin:/sbin"));
        env.forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.add(launcher.toString());
        cmd.addAll(List.of(args));
        return Cmd.exec(Duration.ofSeconds(60), null, cmd);
    }

    @Test
    void helpExitsZero() {
        Cmd.Result r = run(dist.resolve("bin/weft"), Map.of(), "--help");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("agent", "status", "doctor", "cleanup");
    }

    @Test
    void badFlagExitsTwoWithOneMessageNamingIt() {
        Cmd.Result r = run(dist.resolve("bin/weft"), Map.of(), "agent", "--healthz-port", "nope");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("--healthz-port", "'nope'");
        assertThat(r.stderr().strip().lines()).as("exactly one line, no JVM warnings: %s", r.stderr()).hasSize(1);
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void badEnvironmentVariableExitsTwo() {
        Cmd.Result r = run(dist.resolve("bin/weft"), Map.of("WEFT_RESYNC_PERIOD", "soon"), "agent");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("WEFT_RESYNC_PERIOD", "'soon'");
    }

    @Test
    void aJavaHomeThatIsNotAJdk25FallsBackToTheSharedDiscovery() {
        Cmd.Result r = run(dist.resolve("bin/weft"), Map.of("JAVA_HOME", tmp.toString()), "--version");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).startsWith("weft ");
    }

    @Test
    void distributionHoldsLauncherJarsAndTheJdkDiscoveryCopy() throws IOException {
        assertThat(dist.resolve("lib/weft-agent.jar")).isRegularFile();
        assertThat(Files.readString(dist.resolve("lib/jdk.sh"))).isEqualTo(Files.readString(repoRoot().resolve(".mvn/jdk.sh")));
        try (Stream<Path> s = Files.list(dist.resolve("lib"))) {
            List<String> names = s.map(p -> p.getFileName().toString()).toList();
            assertThat(names).anyMatch(n -> n.startsWith("picocli-")).anyMatch(n -> n.startsWith("netty-transport-native-epoll-"))
                    .anyMatch(n -> n.startsWith("logback-classic-")).anyMatch(n -> n.startsWith("micrometer-registry-prometheus-"))
                    .noneMatch(n -> n.startsWith("junit-") || n.startsWith("assertj-") || n.startsWith("kubernetes-server-mock"));
        }
        Path tar = Path.of(System.getProperty("weft.dist.tar", "target/weft-agent.tar.gz"));
        String listing = Cmd.run("tar", "-tzvf", tar.toString());
        assertThat(listing).containsPattern("-rwxr-xr-x .* weft-agent/bin/weft").contains("weft-agent/lib/weft-agent.jar",
                "weft-agent/lib/jdk.sh", "weft-agent/lib/classpath", "weft-agent/lib/weft.aot");
    }

    @Test
    void bundledRuntimeIsPreferredAndGetsTheFootprintOptions() throws IOException {
        Path copy = copyDist();
        Files.delete(copy.resolve("lib/weft.aot"));
        fakeJava(copy);
        Cmd.Result plain = run(copy.resolve("bin/weft"), Map.of(), "status", "two words");
        assertThat(plain.exitCode()).as(plain.stderr()).isZero();
        List<String> args = plain.stdout().lines().toList();
        assertThat(args).contains("-XX:+UseSerialGC", "-Xmx64m", "-Xss512k", "-XX:TieredStopAtLevel=1",
                "-XX:ReservedCodeCacheSize=24m", "-XX:MaxMetaspaceSize=96m", "-XX:TrimNativeHeapInterval=1000",
                "--enable-native-access=ALL-UNNAMED");
        assertThat(args).noneMatch(a -> a.startsWith("-XX:AOTCache") || a.startsWith("-Xshare"));
        assertThat(args.subList(args.size() - 5, args.size()))
                .containsExactly("-cp", classPath(copy), "dev.weft.app.Main", "status", "two words");

        Files.writeString(copy.resolve("lib/weft.aot"), "");
        List<String> withAot = run(copy.resolve("bin/weft"), Map.of("WEFT_JAVA_OPTS", "-Xmx99m -Dweft.x=*"), "doctor").stdout().lines().toList();
        assertThat(withAot).contains("-XX:AOTCache=" + copy.toRealPath() + "/lib/weft.aot", "-Dweft.x=*");
        assertThat(withAot.indexOf("-Xmx99m")).as("WEFT_JAVA_OPTS comes after the defaults").isGreaterThan(withAot.indexOf("-Xmx64m"));
    }

    @Test
    void aotSwitchTurnsTheCacheOffOrTrainsIt() throws IOException {
        Path copy = copyDist();
        fakeJava(copy);
        List<String> off = run(copy.resolve("bin/weft"), Map.of("WEFT_AOT", "off"), "agent").stdout().lines().toList();
        assertThat(off).noneMatch(a -> a.startsWith("-XX:AOTCache")).contains("dev.weft.app.Main", "agent");
        List<String> train = run(copy.resolve("bin/weft"), Map.of("WEFT_AOT", "train"), "/scratch").stdout().lines().toList();
        assertThat(train).contains("-XX:AOTCacheOutput=" + copy.toRealPath() + "/lib/weft.aot");
        assertThat(train.subList(train.size() - 4, train.size()))
                .containsExactly("-cp", classPath(copy), "dev.weft.training.AotTraining", "/scratch");
    }

    @Test
    void classPathListsEveryJarOnceOurJarFirst() throws IOException {
        List<String> listed = Files.readAllLines(dist.resolve("lib/classpath"));
        try (Stream<Path> s = Files.list(dist.resolve("lib"))) {
            List<String> jars = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList();
            assertThat(listed).first().isEqualTo("weft-agent.jar");
            assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(jars);
        }
    }

    @Test
    void theBuiltAotCacheIsUsed() {
        Cmd.Result r = run(dist.resolve("bin/weft"), Map.of("WEFT_JAVA_OPTS", "-XX:AOTMode=on -Xlog:class+load=info:stderr"),
                "--version");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("dev.weft.app.Main source: shared objects file");
    }

    @Test
    void aCacheThatDoesNotMatchIsSkippedWithWarningsOnStderrOnly() {
        // Other object headers than the training's: the JVM refuses the cache, says why, and runs without it.
        Cmd.Result r = run(dist.resolve("bin/weft"), Map.of("WEFT_JAVA_OPTS", "-XX:-UseCompactObjectHeaders"), "--version");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().strip()).startsWith("weft ").doesNotContain("\n");
        assertThat(r.stderr()).contains("AOT cache");
    }

    @Test
    void launcherWorksThroughASymlink() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("weft"), dist.resolve("bin/weft"));
        Cmd.Result r = run(link, Map.of(), "--version");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
    }

    /** A "runtime" that prints its arguments, one per line. */
    private static void fakeJava(Path copy) throws IOException {
        Path java = Files.createDirectories(copy.resolve("runtime/bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        java.toFile().setExecutable(true);
    }

    private static String classPath(Path copy) throws IOException {
        Path lib = copy.toRealPath().resolve("lib");
        return String.join(":", Files.readAllLines(lib.resolve("classpath")).stream().map(j -> lib + "/" + j).toList());
    }

    private Path copyDist() throws IOException {
        Path target = tmp.resolve("dist with space");
        try (Stream<Path> s = Files.walk(dist)) {
            for (Path p : s.toList()) {
                Path t = target.resolve(dist.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }

    private static Path repoRoot() {
        Path p = dist;
        while (p != null && !Files.isRegularFile(p.resolve(".mvn/jdk.sh"))) {
            p = p.getParent();
        }
        assertThat(p).as("repository root above %s", dist).isNotNull();
        return p;
    }
}
