package dev.weft.e2e.bench;

/**
 * One line of the bench table. Figures arrive formatted (a part knows its units); {@code verdict}
 * compares the figure with the target when there is one.
 *
 * @param id        the bench, {@code B1}..{@code B7}
 * @param what      what was measured, with its size (e.g. "program 1000 peers")
 * @param weft      weft's figure: median and spread
 * @param reference the side-by-side reference measured in the same run, or "" when none
 * @param ratio     weft / reference (or the ratio the target speaks of), or ""
 * @param target    the target from the issue, or ""
 * @param verdict   whether the target was met
 */
public record Row(String id, String what, String weft, String reference, String ratio, String target, Verdict verdict) {
    public Row {
        for (String s : new String[] {id, what, weft, reference, ratio, target}) {
            if (s == null || s.contains("|") || s.contains("\n")) {
                throw new IllegalArgumentException("a table cell must be one line without '|': " + s);
            }
        }
    }

    /** A row without target. */
    public static Row info(String id, String what, String weft, String reference, String ratio) {
        return new Row(id, what, weft, reference, ratio, "", Verdict.NONE);
    }

    /** A row whose target is met when {@code met} holds. */
    public static Row checked(String id, String what, String weft, String reference, String ratio, String target,
                              boolean met) {
        return new Row(id, what, weft, reference, ratio, target, met ? Verdict.MET : Verdict.MISSED);
    }

    /** How a figure compares with its target. */
    public enum Verdict {
        MET("met"), MISSED("**missed**"), NONE(""), FAILED("**failed**");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }
}
