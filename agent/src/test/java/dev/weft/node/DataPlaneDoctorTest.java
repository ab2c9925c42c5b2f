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
}
