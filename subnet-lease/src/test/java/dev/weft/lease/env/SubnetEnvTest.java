package dev.weft.lease.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.weft.net.IpPrefix;

class SubnetEnvTest {
  private static final SubnetEnv V4 = new SubnetEnv(IpPrefix.parseCidr("10.42.0.0/16"), IpPrefix.parseCidr("10.42.3.1/24"), 1450,
      true, Optional.empty(), Optional.empty());

  @TempDir Path dir;

  private static byte[] golden() throws IOException {
    try (InputStream in = SubnetEnvTest.class.getResourceAsStream("/golden/subnet.env")) {
      return in.readAllBytes();
    }
  }

  @Test
  void rendersTheGoldenFileByteForByte() throws IOException {
    assertThat(V4.render().getBytes(StandardCharsets.UTF_8)).isEqualTo(golden());
  }

  @Test
  void writesTheGoldenFileByteForByteAndReadsItBack() throws IOException {
    Path file = dir.resolve("run/flannel/subnet.env");
    V4.writeAtomically(file);
    assertThat(Files.readAllBytes(file)).isEqualTo(golden());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
    assertThat(SubnetEnv.read(file)).isEqualTo(V4);
    try (var listing = Files.list(file.getParent())) {
      assertThat(listing).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void readsTheGoldenFile() throws IOException {
    Path file = dir.resolve("subnet.env");
    Files.write(file, golden());
    assertThat(SubnetEnv.read(file)).isEqualTo(V4);
  }

  @Test
  void replacesAnOldFileAndLeavesAnIdenticalOneAlone() throws IOException, InterruptedException {
    Path file = dir.resolve("subnet.env");
    Files.writeString(file, "FLANNEL_NETWORK=10.1.0.0/16\n");
    V4.writeAtomically(file);
    assertThat(Files.readAllBytes(file)).isEqualTo(golden());
    var inode = Files.getAttribute(file, "unix:ino");
    V4.writeAtomically(file);
    assertThat(Files.getAttribute(file, "unix:ino")).as("identical content is not rewritten").isEqualTo(inode);
  }

  @Test
  void ipv6LinesFollowFlannelsOrder() {
    SubnetEnv dual = new SubnetEnv(IpPrefix.parseCidr("10.42.0.0/16"), IpPrefix.parseCidr("10.42.3.1/24"), 1450, false,
        Optional.of(IpPrefix.parseCidr("fd42::/48")), Optional.of(IpPrefix.parseCidr("fd42:0:0:3::1/64")));
    assertThat(dual.render()).isEqualTo("""
        FLANNEL_NETWORK=10.42.0.0/16
        FLANNEL_SUBNET=10.42.3.1/24
        FLANNEL_IPV6_NETWORK=fd42::/48
        FLANNEL_IPV6_SUBNET=fd42:0:0:3::1/64
        FLANNEL_MTU=1450
        FLANNEL_IPMASQ=false
        """);
  }

  @Test
  void ipv6RoundTrip() throws IOException {
    SubnetEnv dual = new SubnetEnv(IpPrefix.parseCidr("10.42.0.0/16"), IpPrefix.parseCidr("10.42.3.1/24"), 1400, true,
        Optional.of(IpPrefix.parseCidr("fd42::/48")), Optional.of(IpPrefix.parseCidr("fd42:0:0:3::1/64")));
    Path file = dir.resolve("subnet.env");
    dual.writeAtomically(file);
    assertThat(SubnetEnv.read(file)).isEqualTo(dual);
  }

  @Test
  void refusesUnsafePaths() {
    assertThatThrownBy(() -> V4.writeAtomically(Path.of("relative/subnet.env"))).hasMessageContaining("absolute");
    assertThatThrownBy(() -> V4.writeAtomically(dir.resolve("a/../subnet.env"))).hasMessageContaining("normalised");
    assertThatThrownBy(() -> V4.writeAtomically(dir)).hasMessageContaining("directory");
  }

  @Test
  void refusesASymlinkTarget() throws IOException {
    Path real = dir.resolve("real.env");
    Files.writeString(real, "x");
    Path link = Files.createSymbolicLink(dir.resolve("subnet.env"), real);
    assertThatThrownBy(() -> V4.writeAtomically(link)).hasMessageContaining("symbolic link");
  }

  @Test
  void malformedFilesNameTheProblem() throws IOException {
    Path file = dir.resolve("subnet.env");
    Files.writeString(file, "FLANNEL_NETWORK=10.42.0.0/16\nFLANNEL_SUBNET=10.42.3.1/24\nFLANNEL_IPMASQ=true\n");
    assertThatThrownBy(() -> SubnetEnv.read(file)).hasMessageContaining("FLANNEL_MTU is missing");
    Files.writeString(file, "FLANNEL_NETWORK=10.42.0.0/16\nFLANNEL_SUBNET=10.99.3.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n");
    assertThatThrownBy(() -> SubnetEnv.read(file)).hasMessageContaining("inside FLANNEL_NETWORK");
    Files.writeString(file, "FLANNEL_NETWORK=10.42.0.0/16\nFLANNEL_SUBNET=10.42.3.1/24\nFLANNEL_MTU=big\nFLANNEL_IPMASQ=true\n");
    assertThatThrownBy(() -> SubnetEnv.read(file)).hasMessageContaining("FLANNEL_MTU is not a number");
    Files.writeString(file, "garbage line\n");
    assertThatThrownBy(() -> SubnetEnv.read(file)).hasMessageContaining("line 1");
  }

  @Test
  void readToleratesCommentsBlankLinesAndUnknownKeys() throws IOException {
    Path file = dir.resolve("subnet.env");
    Files.writeString(file, "# written by hand\n\nFLANNEL_NETWORK=10.42.0.0/16\nOTHER=1\nFLANNEL_SUBNET=10.42.3.1/24\n"
        + "FLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n");
    assertThat(SubnetEnv.read(file)).isEqualTo(V4);
  }
}
