package dev.weft.e2e.pod;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes resource quantities: memory ("64Mi", "1G", "512") and CPU ("50m", "0.5", "2"). */
final class Quantities {
    private static final Pattern QUANTITY = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T|m)?");
    private static final Map<String, Long> MULTIPLIERS = Map.of("Ki", 1L << 10, "Mi", 1L << 20, "Gi", 1L << 30,
            "Ti", 1L << 40, "k", 1_000L, "M", 1_000_000L, "G", 1_000_000_000L, "T", 1_000_000_000_000L);

    private Quantities() {
    }

    static long bytes(Field f) {
        Matcher m = match(f);
        if ("m".equals(m.group(2))) {
            throw f.fail("'" + f.scalar() + "': millibytes are not a memory size");
        }
        BigDecimal n = new BigDecimal(m.group(1));
        long mult = m.group(2) == null ? 1 : MULTIPLIERS.get(m.group(2));
        return n.multiply(BigDecimal.valueOf(mult)).longValue();
    }

    static long millicores(Field f) {
        Matcher m = match(f);
        BigDecimal n = new BigDecimal(m.group(1));
        if (m.group(2) == null) {
            return n.multiply(BigDecimal.valueOf(1000)).longValue();
        }
        if (m.group(2).equals("m")) {
            return n.longValue();
        }
        throw f.fail("'" + f.scalar() + "' is not a CPU quantity (cores, or millicores with m)");
    }

    private static Matcher match(Field f) {
        String s = f.scalar();
        Matcher m = QUANTITY.matcher(s);
        if (!m.matches()) {
            throw f.fail("'" + s + "' is not a quantity the harness maps");
        }
        return m;
    }
}
