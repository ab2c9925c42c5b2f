package dev.weft.cni.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import dev.weft.cni.json.JsonObject;
import dev.weft.cni.types.Attachment;
import dev.weft.cni.types.CniException;
import dev.weft.cni.types.ErrorCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @TempDir
    Path tmp;

    @Test
    void savesLoadsListsAndRemoves() throws Exception {
        StateStore s = StateStore.open(tmp.resolve("net").toString());
        Attachment a = new Attachment("c1", "eth0");
        assertThat(s.load(a)).isNull();
        assertThat(s.list()).isEmpty();
        s.save(a, new JsonObject().put("x", 1));
        s.save(new Attachment("c2", "net1@x"), new JsonObject());
        assertThat(s.load(a)).isEqualTo(new JsonObject().put("x", 1));
        assertThat(s.list()).containsExactlyInAnyOrder(a, new Attachment("c2", "net1@x"));
        assertThat(s.remove(a)).isTrue();
        assertThat(s.remove(a)).isFalse();
        assertThat(s.list()).containsExactly(new Attachment("c2", "net1@x"));
    }

    @Test
    void writesAtomicallyWithPrivatePermissionsAndLeavesNoTemporaries() throws Exception {
        StateStore s = StateStore.open(tmp.resolve("net").toString());
        Attachment a = new Attachment("c1", "eth0");
        s.save(a, new JsonObject().put("v", 1));
        s.save(a, new JsonObject().put("v", 2));
        assertThat(Files.readString(s.fileOf(a))).isEqualTo("{\"v\":2}\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s.fileOf(a)))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s.dir()))).isEqualTo("rwx------");
        try (var files = Files.list(s.dir())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("c1@eth0");
        }
    }

    @Test
    void listIgnoresDotFilesAndNamesThatAreNotAttachments() throws Exception {
        StateStore s = StateStore.open(tmp.toString());
        Files.writeString(tmp.resolve(".tmp-c1@eth0-123"), "{}");
        Files.writeString(tmp.resolve("noseparator"), "{}");
        Files.writeString(tmp.resolve("-bad@eth0"), "{}");
        Files.writeString(tmp.resolve("ok@eth0"), "{}");
        try (StateStore.Lock l = s.lock(true)) {
            assertThat(s.list()).containsExactly(new Attachment("ok", "eth0"));
        }
    }

    @Test
    void corruptOrUnreadableStateIsAnError() throws Exception {
        StateStore s = StateStore.open(tmp.toString());
        Files.writeString(tmp.resolve("c1@eth0"), "[1]");
        assertThatThrownBy(() -> s.load(new Attachment("c1", "eth0"))).isInstanceOfSatisfying(CniException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCodes.DECODING_FAILURE));
        Files.createDirectory(tmp.resolve("c2@eth0"));
        assertThatThrownBy(() -> s.load(new Attachment("c2", "eth0"))).isInstanceOfSatisfying(CniException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCodes.IO_FAILURE));
    }

    @Test
    void dataDirMustBeAPlainAbsolutePath() {
        for (String bad : new String[] {"relative", "/var/lib/../etc", "/var/./lib", ""}) {
            assertThatThrownBy(() -> StateStore.open(bad)).isInstanceOfSatisfying(CniException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_NETWORK_CONFIG));
        }
    }

    /** Run in a child JVM: takes the exclusive (GC) lock, says so, exits. */
    public static void main(String[] args) throws Exception {
        try (StateStore.Lock l = StateStore.open(args[0]).lock(true)) {
            System.out.println("locked");
        }
    }

    @Test
    void gcsExclusiveLockWaitsUntilAnAddReleasesItsSharedOne() throws Exception {
        StateStore s = StateStore.open(tmp.toString());
        Process child;
        try (StateStore.Lock shared = s.lock(false)) {
            // fcntl locks are per process, so the competitor must be another process
            child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                    System.getProperty("java.class.path"), StateStoreTest.class.getName(), tmp.toString())
                    .redirectErrorStream(true).start();
            assertThat(child.waitFor(1500, TimeUnit.MILLISECONDS)).as("child blocked while ADD holds its lock").isFalse();
        }
        try {
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(child.getInputStream().readAllBytes())).contains("locked");
        } finally {
            child.destroyForcibly();
        }
    }
}
