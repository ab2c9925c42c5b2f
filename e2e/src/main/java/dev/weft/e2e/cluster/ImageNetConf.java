package dev.weft.e2e.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.weft.e2e.pod.PodTemplate;

/** The Network of the manifest's net-conf.json (the ConfigMap the agent's --net-config-path is in). */
final class ImageNetConf {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageNetConf() {
    }

    static String network(PodTemplate t, Path manifest) throws IOException {
        for (Map<String, String> data : t.configMaps().values()) {
            String conf = data.get("net-conf.json");
            if (conf != null) {
                JsonNode n = JSON.readTree(conf).path("Network");
                if (n.isTextual()) {
                    return n.asText();
                }
                throw new IOException(manifest + ": net-conf.json has no Network");
            }
        }
        throw new IOException(manifest + ": no ConfigMap holds net-conf.json");
    }
}
