package dev.weft.cni.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "3f6940ab5ab43bc522569d15b23f8c1bbde1d7678b080398506924fc01d72755", "pod_1.x-y", "Z9"})
    void acceptsSpecContainerIds(String id) {
        assertThat(Names.containerIdProblem(id)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a", ".hidden", "_x", "a/b", "../../etc", "a@b", "a b", "a\nb", "é", "a:b"})
    void rejectsContainerIdsThatCouldEscapeAPathOrAmbiguateAFileName(String id) {
        assertThat(Names.containerIdProblem(id)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"eth0", "net1", "a", "veth-1.2_x@y", "123456789012345"})
    void acceptsKernelInterfaceNames(String n) {
        assertThat(Names.ifNameProblem(n)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "1234567890123456", "eth/0", "eth:0", "eth 0", "eth\t0", "éth0", "e\u0000"})
    void rejectsInvalidInterfaceNames(String n) {
        assertThat(Names.ifNameProblem(n)).isNotNull();
    }

    @org.junit.jupiter.api.Test
    void longIdsAreRejectedAndMessagesStayPrintable() {
        assertThat(Names.containerIdProblem("a".repeat(Names.MAX_CONTAINER_ID))).isNull();
        assertThat(Names.containerIdProblem("a".repeat(Names.MAX_CONTAINER_ID + 1))).contains("longer than");
        assertThat(Names.shorten("x\u0007y" + "z".repeat(100))).startsWith("x?y").endsWith("...").hasSize(67);
        assertThatThrownBy(() -> new Attachment("a/b", "eth0")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Attachment.validOrNull("ok", "eth0")).isEqualTo(new Attachment("ok", "eth0"));
        assertThat(Attachment.validOrNull("ok", "bad/if")).isNull();
    }
}
