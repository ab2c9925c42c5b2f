package dev.weft.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.weft.json.JsonWriter;

/** Renders a {@link StatusReport} as an aligned human table or as one JSON document. */
public final class StatusRenderer {
    private StatusRenderer() {
    }

    /** The human view: a header block, then one aligned row per peer. */
    public static String table(StatusReport r) {
        StringBuilder s = new StringBuilder();
        s.append("node:   ").append(r.node()).append('\n');
        s.append("lease:  ").append(r.lease().subnet().orElse("none"))
                .append(r.lease().publicIp().map(ip -> " (public IP " + ip + ")").orElse(""))
                .append(detail(r.lease().detail())).append('\n');
        for (StatusReport.Device d : r.devices()) {
            s.append("device: ").append(d.name()).append(' ')
                    .append(d.present() ? (d.up() ? "up" : "down") : "absent")
                    .append(d.mtu().map(m -> ", mtu " + m).orElse(""))
                    .append(d.mac().map(m -> ", mac " + m).orElse(""))
                    .append(detail(d.detail())).append('\n');
        }
        s.append("status: ").append(r.healthy() ? "ok" : "DRIFT").append("\n\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PEER", "SUBNET", "PUBLIC IP", "VTEP MAC", "STATE", "DETAIL"});
        for (StatusReport.Peer p : r.peers()) {
            rows.add(new String[] {p.node(), or(p.subnet()), or(p.publicIp()), or(p.vtepMac()), p.state().label(), p.detail()});
        }
        s.append(align(rows));
        if (r.peers().isEmpty()) {
            s.append("(no peers)\n");
        }
        return s.toString();
    }

    /** The machine view: {@code {"node":..,"healthy":..,"lease":{..},"device":{..},"peers":[..]}}. */
    public static String json(StatusReport r) {
        JsonWriter w = new JsonWriter();
        w.beginObject().field("node", r.node()).field("healthy", r.healthy());
        w.name("lease").beginObject()
                .field("subnet", r.lease().subnet().orElse(null))
                .field("publicIP", r.lease().publicIp().orElse(null))
                .field("detail", r.lease().detail()).endObject();
        w.name("device");
        device(w, r.device());
        w.name("devices").beginArray();
        r.devices().forEach(d -> device(w, d));
        w.endArray();
        w.name("peers").beginArray();
        for (StatusReport.Peer p : r.peers()) {
            w.beginObject().field("node", p.node()).field("subnet", p.subnet().orElse(null))
                    .field("publicIP", p.publicIp().orElse(null)).field("vtepMAC", p.vtepMac().orElse(null))
                    .field("state", p.state().label()).field("detail", p.detail()).endObject();
        }
        return w.endArray().endObject() + "\n";
    }

    private static void device(JsonWriter w, StatusReport.Device d) {
        w.beginObject().field("name", d.name()).field("present", d.present()).field("up", d.up())
                .field("mac", d.mac().orElse(null));
        w.name("mtu");
        if (d.mtu().isPresent()) {
            w.value(d.mtu().get());
        } else {
            w.value((String) null);
        }
        w.field("detail", d.detail()).endObject();
    }

    private static String align(List<String[]> rows) {
        int cols = rows.getFirst().length;
        int[] width = new int[cols];
        for (String[] row : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder s = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                line.append(row[i]);
                if (i < cols - 1) {
                    line.append(" ".repeat(width[i] - row[i].length() + 2));
                }
            }
            s.append(line.toString().stripTrailing()).append('\n');
        }
        return s.toString();
    }

    private static String or(Optional<String> v) {
        return v.orElse("-");
    }

    private static String detail(String d) {
        return d.isBlank() ? "" : " - " + d;
    }
}
