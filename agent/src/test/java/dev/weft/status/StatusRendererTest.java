package dev.weft.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class StatusRendererTest {
    static StatusReport report(List<StatusReport.Peer> peers, boolean devicePresent) {
        return new StatusReport("node-a",
                new StatusReport.Lease(Optional.of("10.42.3.0/24"), Optional.of("198.18.0.2"), ""),
                new StatusReport.Device("flannel.1", devicePresent, devicePresent, devicePresent ? Optional.of("aa:bb:cc:dd:ee:01") : Optional.empty(),
                        devicePresent ? Optional.of(1450) : Optional.empty(), devicePresent ? "" : "deleted?"),
                peers);
    }

    static StatusReport.Peer peer(String name, String subnet, PeerState state, String detail) {
        return new StatusReport.Peer(name, Optional.ofNullable(subnet), Optional.of("198.18.0.9"), Optional.of("aa:bb:cc:dd:ee:09"), state, detail);
    }

    @Test
    void tableAlignsColumnsAndSaysOkWhenHealthy() {
        String t = StatusRenderer.table(report(List.of(peer("node-b", "10.42.4.0/24", PeerState.PROGRAMMED, ""),
                peer("a-much-longer-node-name", "10.42.5.0/24", PeerState.PROGRAMMED, "")), true));
        assertThat(t).isEqualTo("""
                node:   node-a
                lease:  10.42.3.0/24 (public IP 198.18.0.2)
                device: flannel.1 up, mtu 1450, mac aa:bb:cc:dd:ee:01
                status: ok

                PEER                     SUBNET        PUBLIC IP   VTEP MAC           STATE       DETAIL
                node-b                   10.42.4.0/24  198.18.0.9  aa:bb:cc:dd:ee:09  programmed
                a-much-longer-node-name  10.42.5.0/24  198.18.0.9  aa:bb:cc:dd:ee:09  programmed
                """);
    }

    @Test
    void driftAndAbsentDeviceAreUnhealthyButInvalidPeersAreNot() {
        assertThat(report(List.of(peer("x", null, PeerState.INVALID, "bad VtepMAC")), true).healthy()).isTrue();
        assertThat(report(List.of(peer("x", "10.42.4.0/24", PeerState.MISSING, "no route")), true).healthy()).isFalse();
        assertThat(report(List.of(peer("x", "10.42.4.0/24", PeerState.STALE, "node gone")), true).healthy()).isFalse();
        StatusReport noDevice = report(List.of(), false);
        assertThat(noDevice.healthy()).isFalse();
        assertThat(StatusRenderer.table(noDevice)).contains("device: flannel.1 absent - deleted?", "status: DRIFT", "(no peers)");
    }

    @Test
    void everyDeviceHasARowAndAllMustBeUp() {
        StatusReport.Lease lease = new StatusReport.Lease(Optional.of("10.42.3.0/24"), Optional.of("198.18.0.2"), "");
        StatusReport.Device v4 = new StatusReport.Device("flannel.1", true, true, Optional.of("aa:bb:cc:dd:ee:01"), Optional.of(1450), "");
        StatusReport.Device v6 = new StatusReport.Device("flannel-v6.1", true, false, Optional.of("aa:bb:cc:dd:ee:02"),
                Optional.of(1430), "");
        StatusReport r = new StatusReport("node-a", lease, List.of(v4, v6), List.of());
        assertThat(r.healthy()).as("a device that is down is drift").isFalse();
        assertThat(r.device()).isEqualTo(v4);
        assertThat(StatusRenderer.table(r)).contains("device: flannel.1 up, mtu 1450", "device: flannel-v6.1 down, mtu 1430");
        assertThat(StatusRenderer.json(r)).contains("\"devices\":[{\"name\":\"flannel.1\"").contains("{\"name\":\"flannel-v6.1\"");
        assertThat(new StatusReport("node-a", lease, List.of(v4, new StatusReport.Device("flannel-v6.1", true, true, Optional.empty(),
                Optional.empty(), "")), List.of()).healthy()).isTrue();
    }

    @Test
    void jsonCarriesEveryField() {
        String j = StatusRenderer.json(report(List.of(peer("node-b", null, PeerState.INVALID, "bad \"json\"")), false));
        assertThat(j).isEqualTo("{\"node\":\"node-a\",\"healthy\":false,"
                + "\"lease\":{\"subnet\":\"10.42.3.0/24\",\"publicIP\":\"198.18.0.2\",\"detail\":\"\"},"
                + "\"device\":{\"name\":\"flannel.1\",\"present\":false,\"up\":false,\"mac\":null,\"mtu\":null,\"detail\":\"deleted?\"},"
                + "\"devices\":[{\"name\":\"flannel.1\",\"present\":false,\"up\":false,\"mac\":null,\"mtu\":null,\"detail\":\"deleted?\"}],"
                + "\"peers\":[{\"node\":\"node-b\",\"subnet\":null,\"publicIP\":\"198.18.0.9\",\"vtepMAC\":\"aa:bb:cc:dd:ee:09\","
                + "\"state\":\"invalid\",\"detail\":\"bad \\\"json\\\"\"}]}\n");
    }
}
