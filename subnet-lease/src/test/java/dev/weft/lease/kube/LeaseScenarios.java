package dev.weft.lease.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.lease.Backoff;
import dev.weft.lease.NetConf;
import dev.weft.lease.NodeLease;
import dev.weft.net.IpAddresses;
import dev.weft.net.IpPrefix;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSpecBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The lease behaviour, written once and run against every API server a subclass provides: fabric8's CRUD mock
 * ({@link SubnetLeaserTest}) and a real kube-apiserver ({@link LeaseRealApiServerTest}).
 */
abstract class LeaseScenarios {

  /** A new client of its own, as each agent has. */
  protected abstract KubernetesClient newClient(Consumer<KubernetesClientBuilder> customizer);

  /** A client for setting the stage and checking the outcome. */
  protected abstract KubernetesClient admin();

  /** The namespace the subnet locks go to. */
  protected abstract String namespace();

  protected KubernetesClient newClient() {
    return newClient(b -> { });
  }

  static NetConf conf(String json) {
    try {
      return NetConf.parse(json, w -> { });
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static final NetConf SLASH16 = conf("{\"Network\": \"10.42.0.0/16\"}");

  protected SubnetLeaser leaser(String node, NetConf conf) {
    return new SubnetLeaser(newClient(), node, conf, namespace());
  }

  protected static NodeLease acquired(LeaseAttempt attempt) {
    assertThat(attempt).isInstanceOf(LeaseAttempt.Acquired.class);
    return ((LeaseAttempt.Acquired) attempt).lease();
  }

  protected static LeaseAttempt.Failed failed(LeaseAttempt attempt, LeaseFailure kind) {
    assertThat(attempt).isInstanceOfSatisfying(LeaseAttempt.Failed.class, f -> assertThat(f.kind()).isEqualTo(kind));
    return (LeaseAttempt.Failed) attempt;
  }

  protected List<Lease> locks() {
    return admin().leases().inNamespace(namespace()).withLabel(SubnetLocks.LABEL, "true").list().getItems();
  }

  protected Lease lockOf(IpPrefix subnet) {
    return admin().leases().inNamespace(namespace()).withName(SubnetLocks.lockName(subnet)).get();
  }

  protected void createLock(IpPrefix subnet, String holder, String ownerUid) {
    admin().leases().inNamespace(namespace()).resource(new LeaseBuilder()
        .withNewMetadata().withName(SubnetLocks.lockName(subnet)).withLabels(Map.of(SubnetLocks.LABEL, "true"))
          .withAnnotations(Map.of(SubnetLocks.SUBNET_ANNOTATION, subnet.toString()))
          .addNewOwnerReference().withApiVersion("v1").withKind("Node").withName(holder).withUid(ownerUid).endOwnerReference()
        .endMetadata()
        .withNewSpec().withHolderIdentity(holder).endSpec()
        .build()).create();
  }

  /** Checks the invariant every allocation must leave behind: podCIDR = the subnet of a lock held by that Node. */
  protected void assertLockMatchesPodCidr(String nodeName, IpPrefix subnet) {
    Node node = admin().nodes().withName(nodeName).get();
    assertThat(node.getSpec().getPodCIDR()).isEqualTo(subnet.toString());
    assertThat(node.getSpec().getPodCIDRs()).startsWith(subnet.toString());
    Lease lock = lockOf(subnet);
    assertThat(lock).as("lock for " + subnet).isNotNull();
    assertThat(lock.getSpec().getHolderIdentity()).isEqualTo(nodeName);
    assertThat(lock.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
      assertThat(r.getKind()).isEqualTo("Node");
      assertThat(r.getName()).isEqualTo(nodeName);
      assertThat(r.getUid()).isEqualTo(node.getMetadata().getUid());
    });
  }

  @Test
  void adoptsAnExistingPodCidr() {
    TestNodes.createWithPodCidr(admin(), "n1", "10.42.7.0/24");
    NodeLease lease = acquired(leaser("n1", SLASH16).tryAcquire());
    assertThat(lease).isEqualTo(new NodeLease(IpPrefix.parseCidr("10.42.7.0/24"), Optional.empty(), false));
    assertThat(locks()).isEmpty();
  }

  @Test
  void refusesAPodCidrOutsideTheNetwork() {
    TestNodes.createWithPodCidr(admin(), "n1", "10.99.7.0/24");
    var f = failed(leaser("n1", SLASH16).tryAcquire(), LeaseFailure.PODCIDR_OUTSIDE_NETWORK);
    assertThat(f.message()).contains("10.99.7.0/24", "10.42.0.0/16", "n1");
  }

  @Test
  void allocatesALockedSubnetWhenThereIsNoPodCidr() {
    TestNodes.create(admin(), "n1");
    NodeLease lease = acquired(leaser("n1", SLASH16).tryAcquire());
    assertThat(lease.allocatedByWeft()).isTrue();
    assertThat(SLASH16.network().orElseThrow().contains(lease.subnet().orElseThrow())).isTrue();
    assertThat(lease.subnet().orElseThrow().length()).isEqualTo(24);
    assertLockMatchesPodCidr("n1", lease.subnet().orElseThrow());
    assertThat(locks()).hasSize(1);
  }

  @Test
  void aRestartedAgentKeepsItsLease() {
    TestNodes.create(admin(), "n1");
    NodeLease first = acquired(leaser("n1", SLASH16).tryAcquire());
    NodeLease again = acquired(leaser("n1", SLASH16).tryAcquire());
    assertThat(again).isEqualTo(first);
    assertThat(locks()).hasSize(1);
  }

  @Test
  void aRestartBetweenLockAndPodCidrReusesTheLock() {
    Node node = TestNodes.create(admin(), "n1");
    IpPrefix mine = IpPrefix.parseCidr("10.42.200.0/24");
    createLock(mine, "n1", node.getMetadata().getUid());
    NodeLease lease = acquired(leaser("n1", SLASH16).tryAcquire());
    assertThat(lease.subnet().orElseThrow()).isEqualTo(mine);
    assertLockMatchesPodCidr("n1", mine);
    assertThat(locks()).hasSize(1);
  }

  @Test
  void aLockOfAPreviousNodeIncarnationIsReleasedNotReused() {
    TestNodes.create(admin(), "n1");
    IpPrefix old = IpPrefix.parseCidr("10.42.0.0/24");
    createLock(old, "n1", "uid-of-a-deleted-node");
    NetConf tiny = conf("{\"Network\": \"10.42.0.0/23\", \"SubnetLen\": 24}");
    NodeLease lease = acquired(leaser("n1", tiny).tryAcquire());
    assertLockMatchesPodCidr("n1", lease.subnet().orElseThrow()); // the lock now names the current uid, whichever subnet it is
    assertThat(locks()).hasSize(1);
  }

  @Test
  void aControllerPodCidrAppearingMeanwhileIsAdoptedAndTheLockReleased() {
    TestNodes.create(admin(), "n1");
    Runnable controller = () -> admin().nodes().withName("n1").edit(n -> {
      n.setSpec(new NodeSpecBuilder().withPodCIDR("10.42.99.0/24").withPodCIDRs("10.42.99.0/24").build());
      return n;
    });
    KubernetesClient c = newClient(BeforeRequest.once("PATCH", "/nodes/n1", controller));
    // weft itself never picks 10.42.99.0/24 here (SubnetMax is below it), so the lease it ends with can only be the
    // controller's: with the whole /16 open, 1 run in 256 drew that very subnet and looked allocated by weft.
    NetConf belowController = conf("{\"Network\": \"10.42.0.0/16\", \"SubnetMax\": \"10.42.98.0\"}");
    NodeLease lease = acquired(new SubnetLeaser(c, "n1", belowController, namespace()).tryAcquire());
    assertThat(lease).isEqualTo(new NodeLease(IpPrefix.parseCidr("10.42.99.0/24"), Optional.empty(), false));
    assertThat(locks()).as("the lock weft took first is released").isEmpty();
  }

  @Test
  void aControllerPodCidrReleasesALockFromAnEarlierAllocation() {
    Node node = TestNodes.createWithPodCidr(admin(), "n1", "10.42.5.0/24");
    createLock(IpPrefix.parseCidr("10.42.6.0/24"), "n1", node.getMetadata().getUid());
    createLock(IpPrefix.parseCidr("10.42.8.0/24"), "other", "uid-other");
    NodeLease lease = acquired(leaser("n1", SLASH16).tryAcquire());
    assertThat(lease.subnet().orElseThrow()).isEqualTo(IpPrefix.parseCidr("10.42.5.0/24"));
    assertThat(locks()).extracting(l -> l.getSpec().getHolderIdentity()).containsExactly("other");
  }

  @Test
  void skipsSubnetsOfOtherNodesAndOtherLocks() {
    TestNodes.createWithPodCidr(admin(), "controller-assigned", "10.42.0.0/24");
    createLock(IpPrefix.parseCidr("10.42.1.0/24"), "other", "uid-other");
    TestNodes.create(admin(), "n1");
    NetConf slash22 = conf("{\"Network\": \"10.42.0.0/22\", \"SubnetLen\": 24}");
    NodeLease lease = acquired(leaser("n1", slash22).tryAcquire());
    assertThat(lease.subnet().orElseThrow().toString()).isIn("10.42.2.0/24", "10.42.3.0/24");
  }

  @Test
  void aLostLockRaceMovesOnToTheNextCandidate() {
    Node node = TestNodes.create(admin(), "n1");
    // another agent creates the very lock this one is about to create, between its LIST and its CREATE
    var random = new SplittableRandom(42);
    IpPrefix firstChoice = SLASH16.ipv4Pool().orElseThrow().freeCandidates(List.of(), new SplittableRandom(42), 1).getFirst();
    Runnable intruder = () -> createLock(firstChoice, "intruder", "uid-intruder");
    KubernetesClient c = newClient(BeforeRequest.once("POST", "/leases", intruder));
    SubnetLeaser leaser = new SubnetLeaser(c, "n1", SLASH16, namespace(), random);
    NodeLease lease = acquired(leaser.tryAcquire());
    assertThat(leaser.conflicts()).isEqualTo(1);
    assertThat(lease.subnet().orElseThrow()).isNotEqualTo(firstChoice);
    assertLockMatchesPodCidr("n1", lease.subnet().orElseThrow());
    assertThat(lockOf(firstChoice).getSpec().getHolderIdentity()).isEqualTo("intruder");
    assertThat(node.getMetadata().getUid()).isNotNull();
  }

  @Test
  void dualStackAllocatesBothFamilies() {
    TestNodes.create(admin(), "n1");
    NetConf dual = conf("{\"Network\": \"10.42.0.0/16\", \"EnableIPv6\": true, \"IPv6Network\": \"fd42::/56\"}");
    NodeLease lease = acquired(leaser("n1", dual).tryAcquire());
    assertThat(lease.subnetV6()).isPresent();
    assertThat(IpPrefix.parseCidr("fd42::/56").contains(lease.subnetV6().get())).isTrue();
    Node node = admin().nodes().withName("n1").get();
    assertThat(node.getSpec().getPodCIDRs()).containsExactly(lease.subnet().orElseThrow().toString(), lease.subnetV6().get().toString());
    assertThat(locks()).hasSize(2);
    assertThat(acquired(leaser("n1", dual).tryAcquire())).as("restart").isEqualTo(new NodeLease(lease.subnet().orElseThrow(),
        lease.subnetV6(), true));
  }

  @Test
  void aMissingNodeIsReportedClearly() {
    var f = failed(leaser("ghost", SLASH16).tryAcquire(), LeaseFailure.NODE_NOT_FOUND);
    assertThat(f.message()).contains("ghost", "NODE_NAME");
  }

  @Test
  void sixAgentsForFourSubnets() throws Exception {
    NetConf slash22 = conf("{\"Network\": \"10.42.0.0/22\", \"SubnetLen\": 24}");
    RaceResult r = LeaseRace.run(this::newClient, admin(), namespace(), slash22, 6, Duration.ofSeconds(60));
    assertThat(r.winners()).hasSize(4);
    assertThat(r.winners().values()).doesNotHaveDuplicates();
    assertThat(r.exhausted()).hasSize(2).allSatisfy(f -> assertThat(f.message()).contains("no free subnet"));
    r.winners().forEach((node, lease) -> assertLockMatchesPodCidr(node, lease.subnet().orElseThrow()));
    assertThat(locks()).hasSize(4);
  }

  /** The IPv6 pool holds four subnets: six dual-stack agents race, four win distinct pairs, two find it exhausted. */
  @Test
  void sixDualStackAgentsForFourIpv6Subnets() throws Exception {
    NetConf dual = conf("{\"Network\": \"10.42.0.0/16\", \"EnableIPv6\": true, \"IPv6Network\": \"fd42::/62\","
        + " \"IPv6SubnetLen\": 64}");
    RaceResult r = LeaseRace.run(this::newClient, admin(), namespace(), dual, 6, Duration.ofSeconds(60));
    assertThat(r.winners()).hasSize(4);
    assertThat(r.winners().values()).allSatisfy(l -> assertThat(l.subnetV6()).isPresent());
    assertThat(r.winners().values().stream().map(l -> l.subnetV6().get()).distinct().count()).isEqualTo(4);
    assertThat(r.winners().values().stream().map(NodeLease::subnet).distinct().count()).isEqualTo(4);
    assertThat(r.exhausted()).hasSize(2).allSatisfy(f -> assertThat(f.message()).contains("no free subnet", "fd42::/62"));
    r.winners().forEach((node, lease) -> {
      assertLockMatchesPodCidr(node, lease.subnet().orElseThrow());
      assertThat(admin().nodes().withName(node).get().getSpec().getPodCIDRs())
          .containsExactly(lease.subnet().orElseThrow().toString(), lease.subnetV6().get().toString());
    });
    assertThat(locks().stream().filter(l -> l.getMetadata().getName().startsWith("weft-subnet-fd42"))).hasSize(4);
  }

  /** EnableIPv4 false: only an IPv6 subnet is locked and written, spec.podCIDR is that subnet, a restart keeps it. */
  @Test
  void ipv6OnlyAllocatesOnlyAnIpv6Subnet() {
    TestNodes.create(admin(), "n1");
    NetConf v6only = conf("{\"EnableIPv4\": false, \"EnableIPv6\": true, \"IPv6Network\": \"fd42::/56\"}");
    NodeLease lease = acquired(leaser("n1", v6only).tryAcquire());
    assertThat(lease.subnet()).isEmpty();
    assertThat(IpPrefix.parseCidr("fd42::/56").contains(lease.subnetV6().orElseThrow())).isTrue();
    Node node = admin().nodes().withName("n1").get();
    assertThat(node.getSpec().getPodCIDR()).isEqualTo(lease.subnetV6().get().toString());
    assertThat(node.getSpec().getPodCIDRs()).containsExactly(lease.subnetV6().get().toString());
    assertThat(locks()).hasSize(1);
    assertLockMatchesPodCidr("n1", lease.subnetV6().get());
    assertThat(acquired(leaser("n1", v6only).tryAcquire())).as("restart").isEqualTo(lease);
  }

  /** Three IPv6-only agents for two subnets: two distinct winners, one exhausted, no IPv4 lock anywhere. */
  @Test
  void threeIpv6OnlyAgentsForTwoSubnets() throws Exception {
    NetConf v6only = conf("{\"EnableIPv4\": false, \"EnableIPv6\": true, \"IPv6Network\": \"fd42::/63\","
        + " \"IPv6SubnetLen\": 64}");
    RaceResult r = LeaseRace.run(this::newClient, admin(), namespace(), v6only, 3, Duration.ofSeconds(60));
    assertThat(r.winners()).hasSize(2);
    assertThat(r.winners().values()).allSatisfy(l -> assertThat(l.subnet()).isEmpty());
    assertThat(r.winners().values().stream().map(l -> l.subnetV6().orElseThrow()).distinct().count()).isEqualTo(2);
    assertThat(r.exhausted()).hasSize(1).allSatisfy(f -> assertThat(f.message()).contains("no free subnet", "fd42::/63"));
    r.winners().forEach((node, lease) -> assertLockMatchesPodCidr(node, lease.subnetV6().orElseThrow()));
    assertThat(locks()).hasSize(2);
  }

  @Test
  void publishesAnnotationsClearsNetworkUnavailableAndRecordsEvents() {
    TestNodes.create(admin(), "n1");
    admin().nodes().withName("n1").patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"keep.me/x\":\"1\"}}}");
    NodePublisher p = new NodePublisher(newClient(), "n1", TestNodes.KEYS);
    p.publish(1, "aa:bb:cc:dd:ee:01", dev.weft.net.IpAddresses.parse("198.18.0.1"));
    p.markNetworkAvailable();
    p.markNetworkAvailable();
    p.recordEvent("Normal", "SubnetAcquired", "Node n1 uses 10.42.3.0/24");
    Node node = admin().nodes().withName("n1").get();
    assertThat(node.getMetadata().getAnnotations()).containsEntry("keep.me/x", "1")
        .containsEntry(TestNodes.KEYS.backendData(), "{\"VNI\":1,\"VtepMAC\":\"aa:bb:cc:dd:ee:01\"}")
        .containsEntry(TestNodes.KEYS.kubeSubnetManager(), "true");
    assertThat(node.getStatus().getConditions()).filteredOn(c -> c.getType().equals("NetworkUnavailable"))
        .singleElement().satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
    assertThat(p.publishedVtepMac(1)).contains("aa:bb:cc:dd:ee:01");
    assertThat(admin().resources(io.fabric8.kubernetes.api.model.Event.class).inNamespace("default").list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("SubnetAcquired"));
  }

  /** How many agents race in {@link #manyAgentsRaceWithoutDuplicates()}. */
  protected abstract int raceAgents();

  @Test
  void manyAgentsRaceWithoutDuplicates() throws Exception {
    int n = raceAgents();
    RaceResult r = LeaseRace.run(this::newClient, admin(), namespace(), SLASH16, n, Duration.ofSeconds(90));
    System.out.printf("lease race [%s]: %d agents, %d ms wall time, %d lock conflicts retried, %d attempts, %d CONTENDED%n",
        getClass().getSimpleName(), n, r.wallTime().toMillis(), r.conflicts(), r.attempts(), r.contended());
    assertThat(r.exhausted()).isEmpty();
    assertThat(r.winners()).hasSize(n);
    assertThat(r.winners().values().stream().map(NodeLease::subnet).distinct().count()).isEqualTo(n);
    r.winners().forEach((node, lease) -> assertLockMatchesPodCidr(node, lease.subnet().orElseThrow()));
    assertThat(locks()).hasSize(n);
    assertThat(r.conflicts()).as("agents started together must have collided on some subnets").isPositive();
  }

  /** Outcome of a race. */
  record RaceResult(Map<String, NodeLease> winners, List<LeaseAttempt.Failed> exhausted, Duration wallTime,
      long conflicts, long attempts, long contended) {}

  static Backoff fastBackoff() {
    return new Backoff(Duration.ofMillis(20), Duration.ofMillis(500), new SplittableRandom());
  }
}
