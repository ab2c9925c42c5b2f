package dev.weft.cni;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.weft.cni.testing.Bundle;
import dev.weft.testing.Cmd;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The install form, from the archive Maven built: what is in it, what install.sh does, and that
 * the launcher really uses the AOT cache and still works when the cache cannot be used. Needs no
 * privileges; runs the launcher only for VERSION and against a fake delegate.
 */
class LauncherBundleIT {
    static final String VERSION_REPLY = "{\"cniVersion\":\"1.0.0\",\"supportedVersions\":"
            + "[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}\n";

    @TempDir
    static Path dir;
    static Bundle.Installed installed;

    @BeforeAll
    static void install() {
        installed = Bundle.install(dir);
    }

    /** Runs the launcher with nothing but the given variables: no PATH, no JAVA_HOME, like a bare host. */
    static Cmd.Result launch(Path launcher, String stdin, String... env) {
        List<String> cmd = new ArrayList<>(List.of("env", "-i"));
        cmd.addAll(List.of(env));
        cmd.add(launcher.toString());
        return Cmd.exec(Duration.ofSeconds(60), stdin, cmd);
    }

    @Test
    void archiveHoldsTheRuntimeTheJarTheCacheAndInstallSh() {
        String entries = Cmd.run("tar", "-tzf", Bundle.archive().toString());
        assertThat(entries.lines()).contains("weft-cni/install.sh", "weft-cni/BUILD_ID", "weft-cni/VERSION",
                "weft-cni/runtime/bin/java", "weft-cni/lib/weft-cni.jar", "weft-cni/lib/weft-cni.aot",
                "weft-cni/lib/jvm.options", "weft-cni/lib/SHA256SUMS", "weft-cni/lib/classpath");
        String modules = Cmd.run(installed.unpacked().resolve("runtime/bin/java").toString(), "--list-modules");
        assertThat(modules.lines().map(l -> l.replaceAll("@.*", ""))).containsExactly("java.base");
    }

    @Test
    void installWritesTheLauncherWithThePrefixBakedIn() throws Exception {
        String id = Files.readString(installed.unpacked().resolve("BUILD_ID")).strip();
        Path home = installed.prefix().resolve("cni").resolve(id);
        assertThat(Files.readString(installed.launcher())).contains("home=" + home + "\n")
                .contains(" -cp " + home + "/lib/weft-cni.jar:")
                .contains("/lib/weft-vxlan-").contains(".jar dev.weft.cni.Main");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(installed.launcher()))).isEqualTo("rwxr-xr-x");
        assertThat(home.resolve("runtime/bin/java")).isExecutable();
        assertThat(home.resolve("lib/weft-cni.aot")).isNotEmptyFile();
        assertThat(installed.installOutput()).contains("installed: " + installed.launcher());
        Cmd.Result r = launch(installed.launcher(), "{\"cniVersion\":\"1.0.0\"}", "CNI_COMMAND=VERSION");
        assertThat(r.stdout()).as(r.stderr()).isEqualTo(VERSION_REPLY);
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void theAotCacheIsReallyUsed() {
        Cmd.Result r = launch(installed.launcher(), "{\"cniVersion\":\"1.0.0\"}", "CNI_COMMAND=VERSION",
                "WEFT_CNI_JAVA_OPTS=-Xlog:aot=info:stderr -Xlog:class+load=info:stderr");
        assertThat(r.stdout()).as("JVM logging never reaches stdout").isEqualTo(VERSION_REPLY);
        assertThat(r.stderr()).contains("Using AOT-linked classes: true")
                .contains("dev.weft.cni.Main source: shared objects file")
                .contains("dev.weft.cni.skel.Skel source: shared objects file");
    }

    @Test
    void withoutTheCacheTheClassesComeFromTheJar() {
        Cmd.Result r = launch(installed.launcher(), "{}", "CNI_COMMAND=VERSION", "WEFT_CNI_AOT=off",
                "WEFT_CNI_JAVA_OPTS=-Xlog:class+load=info:stderr");
        assertThat(r.stdout()).isEqualTo("{\"cniVersion\":\"1.1.0\",\"supportedVersions\":"
                + "[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}\n");
        assertThat(r.stderr()).contains("dev.weft.cni.Main source: file:").doesNotContain("Main source: shared objects");
    }

    @Test
    void aBrokenCacheDegradesToNoCacheNotToAnError(@TempDir Path other) throws Exception {
        Bundle.Installed copy = Bundle.install(other);
        Path cache = copy.home().resolve("lib/weft-cni.aot");
        Path fake = fakeDelegate(other);
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"weft\",\"subnetFile\":\"" + subnetEnv(other)
                + "\",\"dataDir\":\"" + other.resolve("data") + "\",\"delegate\":{\"type\":\"fake\"}}";
        byte[] good = Files.readAllBytes(cache);
        List<byte[]> broken = List.of(Arrays.copyOf(good, good.length / 3),
                "garbage, not an AOT cache".getBytes(), new byte[0]);
        for (byte[] bad : broken) {
            Files.write(cache, bad);
            Cmd.Result v = launch(copy.launcher(), "{\"cniVersion\":\"1.0.0\"}", "CNI_COMMAND=VERSION");
            assertThat(v.exitCode()).as(v.stderr()).isZero();
            assertThat(v.stdout()).isEqualTo(VERSION_REPLY);
            assertThat(v.stderr()).as("the JVM tried the cache and said why not").contains("[aot]");
            Cmd.Result add = launch(copy.launcher(), conf, "CNI_COMMAND=ADD", "CNI_CONTAINERID=c1",
                    "CNI_NETNS=/var/run/netns/none", "CNI_IFNAME=eth0", "CNI_PATH=" + fake.getParent());
            assertThat(add.exitCode()).as(add.stdout() + add.stderr()).isZero();
            assertThat(add.stdout()).startsWith("{\"cniVersion\":\"1.0.0\",\"interfaces\":").endsWith("}\n");
        }
    }

    @Test
    void installRejectsBadArgumentsAndTamperedBundles(@TempDir Path t) throws Exception {
        Cmd.Result help = Bundle.runInstall(installed.unpacked().getParent(), "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("--prefix DIR").contains("--cni-bin-dir DIR");
        assertThat(Bundle.runInstall(installed.unpacked().getParent(), "--prefix", "relative").stderr())
                .contains("must be an absolute path");
        assertThat(Bundle.runInstall(installed.unpacked().getParent(), "--prefix", "/tmp/a b").stderr())
                .contains("may only contain");
        assertThat(Bundle.runInstall(installed.unpacked().getParent(), "--cni-bin-dir", "/opt/../etc").stderr())
                .contains(". or ..");
        assertThat(Bundle.runInstall(installed.unpacked().getParent(), "--bogus").exitCode()).isEqualTo(1);

        Path unpacked = t.resolve("u");
        Files.createDirectories(unpacked);
        Cmd.run("tar", "-C", unpacked.toString(), "-xzf", Bundle.archive().toString());
        Files.writeString(unpacked.resolve("weft-cni/lib/weft-cni.jar"), "tampered", StandardOpenOption.APPEND);
        Cmd.Result r = Bundle.runInstall(unpacked, "--prefix", t.resolve("p").toString(), "--cni-bin-dir",
                t.resolve("b").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("do not match lib/SHA256SUMS");
        assertThat(t.resolve("b/weft")).doesNotExist();
    }

    @Test
    void upgradesKeepThePreviousBuildAndPruneOlderOnes(@TempDir Path t) throws Exception {
        Path unpacked = t.resolve("u");
        Files.createDirectories(unpacked);
        Cmd.run("tar", "-C", unpacked.toString(), "-xzf", Bundle.archive().toString());
        String prefix = t.resolve("p").toString();
        String bin = t.resolve("b").toString();
        List<String> ids = List.of("aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc");
        for (String id : ids) {
            Files.writeString(unpacked.resolve("weft-cni/BUILD_ID"), id + "\n");
            Bundle.runInstall(unpacked, "--prefix", prefix, "--cni-bin-dir", bin).orThrow();
            assertThat(Files.readString(Path.of(bin, "weft"))).contains("home=" + prefix + "/cni/" + id + "\n");
        }
        try (var dirs = Files.list(Path.of(prefix, "cni"))) {
            assertThat(dirs.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("bbbbbbbbbbbbbbbb", "cccccccccccccccc", "current");
        }
        Bundle.runInstall(unpacked, "--prefix", prefix, "--cni-bin-dir", bin).orThrow(); // same build again
        assertThat(launch(Path.of(bin, "weft"), "{\"cniVersion\":\"1.0.0\"}", "CNI_COMMAND=VERSION").stdout())
                .isEqualTo(VERSION_REPLY);
    }

    private static Path fakeDelegate(Path d) throws Exception {
        Path bin = Files.createDirectories(d.resolve("fakebin"));
        Path p = bin.resolve("fake");
        Files.writeString(p, "#!/bin/sh\ncat >/dev/null\n[ \"$CNI_COMMAND\" = ADD ] && echo '{\"cniVersion\":\"1.0.0\","
                + "\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"/x\"}],\"ips\":[{\"interface\":0,"
                + "\"address\":\"10.42.3.5/24\"}]}'\nexit 0\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static Path subnetEnv(Path d) throws Exception {
        return Files.writeString(d.resolve("subnet.env"),
                "FLANNEL_NETWORK=10.42.0.0/16\nFLANNEL_SUBNET=10.42.3.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n");
    }
}
