package dev.weft.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetnsTest {
    @Test
    void handlesPointAtTheRightFiles() {
        assertThat(Netns.named("cni-1234").path()).contains(Path.of("/var/run/netns/cni-1234"));
        assertThat(Netns.ofPid(42).path()).contains(Path.of("/proc/42/ns/net"));
        assertThat(Netns.ofPath(Path.of("/run/netns/../netns/x")).path()).contains(Path.of("/run/netns/x"));
        assertThat(Netns.current().path()).isEmpty();
        assertThat(Netns.current().isCurrent()).isTrue();
        assertThat(Netns.named("a")).isEqualTo(Netns.ofPath(Path.of("/var/run/netns/a")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../etc", "a/b", "/abs", "nul\0byte"})
    void namedRejectsAnythingButOnePathElement(String name) {
        assertThatThrownBy(() -> Netns.named(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid network namespace name");
    }

    @Test
    void pidsAndPathsAreChecked() {
        assertThatThrownBy(() -> Netns.ofPid(0)).hasMessageContaining("invalid pid 0");
        assertThatThrownBy(() -> Netns.ofPath(Path.of("relative/ns"))).hasMessageContaining("must be absolute");
    }

    @Test
    void currentRunsOnTheCallingThread() throws Exception {
        Thread caller = Thread.currentThread();
        assertThat(Netns.current().run(Thread::currentThread)).isSameAs(caller);
    }
}
