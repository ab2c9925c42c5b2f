package dev.weft.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MacAddressesTest {
  @Test
  void normalisesToLowerCase() {
    assertThat(MacAddresses.normalize("AA:bb:0C:dd:EE:f0")).isEqualTo("aa:bb:0c:dd:ee:f0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:ff:00", "aa-bb-cc-dd-ee-ff", "aabb.ccdd.eeff",
      "gg:bb:cc:dd:ee:ff", "01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00", " aa:bb:cc:dd:ee:f0"})
  void rejectsBadOrNonUnicast(String mac) {
    assertThatThrownBy(() -> MacAddresses.normalize(mac)).isInstanceOf(IllegalArgumentException.class);
  }
}
