package dev.weft.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads subnet.env's {@code KEY=VALUE} lines for display and consistency checks. Only the doctor
 * uses this lenient reader; the strict reader/writer pair lives in subnet-lease.
 */
final class SubnetEnvFile {
    private SubnetEnvFile() {
    }

    static Map<String, String> read(Path p) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(p)) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (!l.isEmpty() && !l.startsWith("#") && eq > 0) {
                out.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        return out;
    }
}
