package dev.weft.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FootprintTest {

    @Test
    void variantSplitsEnvironmentFromJvmOptions() {
        Footprint.Variant v = Footprint.Variant.parse(" WEFT_AOT=off -Xss256k  MALLOC_ARENA_MAX=2 -XX:+UseSerialGC", true);
        assertThat(v.env()).containsEntry("WEFT_AOT", "off").containsEntry("MALLOC_ARENA_MAX", "2")
                .containsEntry("WEFT_JAVA_OPTS", "-Xss256k -XX:+UseSerialGC -XX:NativeMemoryTracking=summary");
        assertThat(v.label()).isEqualTo("WEFT_AOT=off -Xss256k  MALLOC_ARENA_MAX=2 -XX:+UseSerialGC");
        Footprint.Variant plain = Footprint.Variant.parse("", false);
        assertThat(plain.label()).isEqualTo("defaults");
        assertThat(plain.env()).containsOnly(Map.entry("WEFT_JAVA_OPTS", ""));
    }

    @Test
    void classesGroupByLibraryPrefix() {
        assertThat(FootprintProbe.library("io.fabric8.kubernetes.api.model.Node")).isEqualTo("io.fabric8.kubernetes.api.model.*");
        assertThat(FootprintProbe.library("io.fabric8.kubernetes.client.Config")).isEqualTo("io.fabric8.kubernetes.client.*");
        assertThat(FootprintProbe.library("io.netty.buffer.ByteBuf")).isEqualTo("io.netty.*");
        assertThat(FootprintProbe.library("java.lang.invoke.LambdaForm$MH/0x01")).isEqualTo("java.lang.invoke.*");
        assertThat(FootprintProbe.library("org.example.deep.Thing")).isEqualTo("org.example.*");
        assertThat(FootprintProbe.library("Main$Inner")).isEqualTo("Main");
    }

    /**
     * Reads a JVM from outside: /proc always, jcmd for classes and threads; NMT is off there. The JVM
     * is a child of its own, waiting on stdin: attaching to the test JVM itself, which the e2e
     * tests before it have filled with threads and namespace work, proved slow and unreliable.
     */
    @Test
    void probesARunningJvm(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path src = dir.resolve("Wait.java");
        java.nio.file.Files.writeString(src, "class Wait { public static void main(String[] a) throws Exception {"
                + " System.out.println(\"ready\"); System.out.flush(); System.in.read(); } }");
        Process jvm = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", src.toString()).redirectErrorStream(true).start();
        try {
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(jvm.getInputStream()));
            assertThat(out.readLine()).isEqualTo("ready");
            probe(FootprintProbe.of(jvm.pid()));
        } finally {
            jvm.destroyForcibly().waitFor();
        }
    }

    private static void probe(FootprintProbe p) {
        assertThat(p.status().get("VmRSS")).isPositive();
        assertThat(p.status().get("RssAnon") + p.status().get("RssFile") + p.status().get("RssShmem"))
                .isCloseTo(p.status().get("VmRSS"), org.assertj.core.data.Offset.offset(1.0));
        assertThat(p.files()).containsKey("libjvm.so");
        assertThat(p.nmt()).isEmpty();
        assertThat(p.classes()).containsKey("java.*");
        assertThat(p.classCount()).isGreaterThan(500);
        assertThat(p.threads()).containsKey("main");
        assertThat(p.threadCount()).isGreaterThan(3);
    }

    @Test
    void rendersOneRowPerVariantAndSize() {
        FootprintProbe p = new FootprintProbe(Map.of("VmRSS", 100.0, "RssAnon", 70.0, "RssFile", 30.0),
                Map.of("weft.aot", 60.0), Map.of("Total", 90.0, "Java Heap", 20.0), Map.of("io.netty.*", 900),
                Map.of("main", 1));
        String md = Footprint.render(List.of(new Footprint.Measured(Footprint.Variant.parse("-Xss256k", false), 1000,
                List.of(101.0, 99.0, 100.0), List.of(90.0), p)));
        assertThat(md).contains("| -Xss256k | 1000 | 100.0 (99.0–101.0, n=3) | 90.0 | 70.0 | 30.0 | 90.0 | 20.0 | – | – | 1 | 900 | yes |")
                .contains("loaded classes per library: io.netty.* 900");
    }
}
