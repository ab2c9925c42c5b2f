package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrivilegesTest {
    @Test
    void findsShellOnPathButNotNonsense() {
        assertThat(Privileges.onPath("sh")).isTrue();
        assertThat(Privileges.onPath("weft-no-such-tool-xyz")).isFalse();
    }

    @Test
    void kernelTierVerdictMatchesUid() {
        if (Privileges.isRoot() && Privileges.onPath("ip") && Privileges.onPath("bridge")) {
            assertThat(Privileges.kernelTierUnavailable()).isEmpty();
        } else {
            assertThat(Privileges.kernelTierUnavailable()).isPresent();
        }
    }
}
