package dev.weft.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.doctor.Finding;
import org.junit.jupiter.api.Test;

class DataPlaneDoctorTest {
    @Test
    void txChecksumOnIsTheHealthyDefault() {
        Finding f = DataPlaneDoctor.txChecksum(true, "flannel.1");
        assertThat(f.level()).isEqualTo(Finding.Level.OK);
        assertThat(f.detail()).contains("on for flannel.1");
    }

    @Test
    void txChecksumOffWarnsWhatItCostsAndWhenItIsNeeded() {
        Finding f = DataPlaneDoctor.txChecksum(false, "flannel.1");
        assertThat(f.level()).isEqualTo(Finding.Level.WARN);
        assertThat(f.detail()).contains("off for flannel.1").contains("slower");
        assertThat(f.hint()).hasValueSatisfying(h -> assertThat(h).contains("--disable-tx-checksum-offload"));
    }

    @Test
    void nexthopObjectsAreCountedAndTheirAbsenceWarned() {
        Finding ok = DataPlaneDoctor.routeForm(java.util.OptionalLong.of(12), "flannel.1");
        assertThat(ok.level()).isEqualTo(Finding.Level.OK);
        assertThat(ok.detail()).contains("weft has 12 on flannel.1");
        Finding old = DataPlaneDoctor.routeForm(java.util.OptionalLong.empty(), "flannel.1");
        assertThat(old.level()).isEqualTo(Finding.Level.WARN);
        assertThat(old.detail()).contains("no nexthop objects").contains("N²");
        assertThat(old.hint()).hasValueSatisfying(h -> assertThat(h).contains("5.3"));
    }
}
