package dev.weft.e2e.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Medians, percentiles and spreads of samples, and how they are printed in the table. */
public final class Stats {
    private Stats() {
    }

    /** The nearest-rank percentile {@code p} (0 < p ≤ 100) of {@code samples}. */
    public static double percentile(Collection<? extends Number> samples, double p) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        List<Double> sorted = sorted(samples);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    public static double median(Collection<? extends Number> samples) {
        List<Double> sorted = sorted(samples);
        int n = sorted.size();
        if (n == 0) {
            throw new IllegalArgumentException("no samples");
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    public static double min(Collection<? extends Number> samples) {
        return sorted(samples).getFirst();
    }

    public static double max(Collection<? extends Number> samples) {
        return sorted(samples).getLast();
    }

    /** "median (min–max)" with {@code unit}, or just the value when there is one sample. */
    public static String medianSpread(Collection<? extends Number> samples, String format, String unit) {
        String m = String.format(Locale.ROOT, format, median(samples));
        if (samples.size() == 1) {
            return m + unit;
        }
        return m + unit + " (" + String.format(Locale.ROOT, format, min(samples)) + "–"
                + String.format(Locale.ROOT, format, max(samples)) + ", n=" + samples.size() + ")";
    }

    public static String fmt(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }

    private static List<Double> sorted(Collection<? extends Number> samples) {
        List<Double> out = new ArrayList<>(samples.size());
        for (Number n : samples) {
            out.add(n.doubleValue());
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }
}
