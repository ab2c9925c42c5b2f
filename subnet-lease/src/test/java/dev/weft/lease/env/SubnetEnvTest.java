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

import dev.weft.lease.NetConf;
import dev.weft.lease.NodeLease;
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

  private static byte[] golden(String name) throws IOException {
    try (InputStream in = SubnetEnvTest.class.getResourceAsStream("/golden/" + name)) {
      return in.readAllBytes();
    }
  }

  private static final IpPrefix NET4 = IpPrefix.parseCidr("10.42.0.0/16");
  private static final IpPrefix NET6 = IpPrefix.parseCidr("fd00:42::/56");

  @Test
  void aDualStackLeaseRendersTheDualGoldenFileAsFlanneldWritesIt() throws Exception {
    NetConf conf = NetConf.parse("""
        {"Network":"10.42.0.0/16","EnableIPv6":true,"IPv6Network":"fd00:42::/56"}""", w -> { });
    NodeLease lease = new NodeLease(IpPrefix.parseCidr("10.42.3.0/24"), Optional.of(IpPrefix.parseCidr("fd00:42:0:3::/64")),
        true);
    SubnetEnv dual = SubnetEnv.forLease(conf, lease, 1430, true);
    assertThat(dual.render().getBytes(StandardCharsets.UTF_8)).isEqualTo(golden("subnet-dual.env"));
    Path file = dir.resolve("subnet.env");
    dual.writeAtomically(file);
    assertThat(SubnetEnv.read(file)).isEqualTo(dual);
    // without an IPv6 subnet in the lease there are no IPv6 lines, even with IPv6Network configured
    assertThat(SubnetEnv.forLease(conf, new NodeLease(lease.subnet(), Optional.empty(), true), 1450, true).render())
        .isEqualTo(new String(golden(), StandardCharsets.UTF_8));
  }

  @Test
  void anIpv6OnlyNodeWritesNoIpv4Lines() throws IOException {
    SubnetEnv v6 = SubnetEnv.of(Optional.empty(), Optional.empty(), Optional.of(NET6),
        Optional.of(IpPrefix.parseCidr("fd00:42:0:3::/64")), 1430, true);
    assertThat(v6).isEqualTo(SubnetEnv.ipv6Only(NET6, IpPrefix.parseCidr("fd00:42:0:3::1/64"), 1430, true));
    assertThat(v6.render().getBytes(StandardCharsets.UTF_8)).isEqualTo(golden("subnet-ipv6.env"));
    assertThat(v6.ipv4Network()).isEmpty();
    assertThat(v6.ipv4Subnet()).isEmpty();
    Path file = dir.resolve("subnet.env");
    Files.write(file, golden("subnet-ipv6.env"));
    assertThat(SubnetEnv.read(file)).isEqualTo(v6);
  }

  @Test
  void ipv6ValuesAreFormattedAsGoFormatsThem() {
    SubnetEnv e = SubnetEnv.of(Optional.of(NET4), Optional.of(IpPrefix.parseCidr("10.42.3.0/24")),
        Optional.of(IpPrefix.parseCidr("FD00:0042:0000::/48")), Optional.of(IpPrefix.parseCidr("fd00:42:0:ab00::/56")), 1450, true);
    assertThat(e.render()).contains("FLANNEL_IPV6_NETWORK=fd00:42::/48\n").contains("FLANNEL_IPV6_SUBNET=fd00:42:0:ab00::1/56\n");
  }

  @Test
  void hostileIpv6ValuesAreRefusedNamingTheKey() throws IOException {
    String v4 = "FLANNEL_NETWORK=10.42.0.0/16\nFLANNEL_SUBNET=10.42.3.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n";
    String[][] cases = {
        {"FLANNEL_IPV6_NETWORK=fd00:42::/56\nFLANNEL_IPV6_SUBNET=fd00:99:0:3::1/64", "FLANNEL_IPV6_SUBNET fd00:99:0:3::1/64 must be an IPv6 range inside FLANNEL_IPV6_NETWORK fd00:42::/56"},
        {"FLANNEL_IPV6_NETWORK=10.0.0.0/8\nFLANNEL_IPV6_SUBNET=10.42.3.1/24", "must be an IPv6 range"},
        {"FLANNEL_IPV6_NETWORK=fd00:42::/56\nFLANNEL_IPV6_SUBNET=10.42.3.1/24", "must be an IPv6 range"},
        {"FLANNEL_IPV6_NETWORK=fd00:42::/56\nFLANNEL_IPV6_SUBNET=::ffff:10.42.3.1/120", "FLANNEL_IPV6_SUBNET: not a CIDR"},
        {"FLANNEL_IPV6_NETWORK=fd00:42::/56\nFLANNEL_IPV6_SUBNET=fd00:42:0:3::1/127", "leaves no room for pods"},
        {"FLANNEL_IPV6_NETWORK=fd00:42::/56\nFLANNEL_IPV6_SUBNET=fd00:42:0:3::1/200", "FLANNEL_IPV6_SUBNET: not a CIDR"},
        {"FLANNEL_IPV6_NETWORK=fd00:42::/56\nFLANNEL_IPV6_SUBNET=fd00:42:0:3::1", "FLANNEL_IPV6_SUBNET: not a CIDR"},
        {"FLANNEL_IPV6_NETWORK=fd00:42::/56", "FLANNEL_IPV6_NETWORK and FLANNEL_IPV6_SUBNET go together"},
    };
    Path file = dir.resolve("subnet.env");
    for (String[] c : cases) {
      Files.writeString(file, v4 + c[0] + "\n");
      assertThatThrownBy(() -> SubnetEnv.read(file)).as(c[0]).isInstanceOf(IOException.class).hasMessageContaining(c[1]);
    }
    Files.writeString(file, "FLANNEL_SUBNET=10.42.3.1/24\nFLANNEL_IPV6_NETWORK=fd00:42::/56\nFLANNEL_IPV6_SUBNET=fd00:42:0:3::1/64\n"
        + "FLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n");
    assertThatThrownBy(() -> SubnetEnv.read(file)).hasMessageContaining("FLANNEL_NETWORK and FLANNEL_SUBNET go together");
    Files.writeString(file, "FLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n");
    assertThatThrownBy(() -> SubnetEnv.read(file)).hasMessageContaining("FLANNEL_NETWORK is missing");
    assertThatThrownBy(() -> SubnetEnv.of(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 1450, true))
        .hasMessageContaining("neither");
    assertThatThrownBy(() -> SubnetEnv.of(Optional.of(NET4), Optional.of(NET4), Optional.empty(),
        Optional.of(IpPrefix.parseCidr("fd00:42:0:3::/64")), 1450, true)).hasMessageContaining("needs the IPv6Network");
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
