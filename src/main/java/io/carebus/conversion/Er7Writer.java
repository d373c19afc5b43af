package io.carebus.conversion;

import java.util.ArrayList;
import java.util.List;

import io.carebus.conversion.er7.Er7Delimiters;
import io.carebus.conversion.er7.Er7Escapes;

/**
 * Builds an ER7 message segment by segment. Field values are given as component lists and escaped here
 * (\F\ \S\ \T\ \R\ \E\, line breaks as \.br\); trailing empty fields and components are dropped.
 */
final class Er7Writer {

    private final Er7Delimiters d = Er7Delimiters.STANDARD;
    private final StringBuilder out = new StringBuilder(1024);

    /** One segment under construction. */
    final class Segment {
        private final List<String> fields = new ArrayList<>();
        private final String name;

        private Segment(String name) {
            this.name = name;
        }

        /** Field n (1-based) as escaped components; repetitions are separate calls to {@link #repeat}. */
        Segment set(int n, String... components) {
            put(n, composite(components));
            return this;
        }

        /** Field n with one more repetition. */
        Segment repeat(int n, String... components) {
            String value = composite(components);
            if (value.isEmpty()) {
                return this;
            }
            while (fields.size() < n) {
                fields.add("");
            }
            String existing = fields.get(n - 1);
            fields.set(n - 1, existing.isEmpty() ? value : existing + d.repetition() + value);
            return this;
        }

        /** Field n as already-encoded text (MSH-2). */
        Segment raw(int n, String encoded) {
            put(n, encoded);
            return this;
        }

        private void put(int n, String value) {
            while (fields.size() < n) {
                fields.add("");
            }
            fields.set(n - 1, value);
        }

        void end() {
            int last = fields.size();
            while (last > 0 && fields.get(last - 1).isEmpty()) {
                last--;
            }
            out.append(name);
            for (int i = 0; i < last; i++) {
                if (!("MSH".equals(name) && i <= 1)) {
                    out.append(d.field());
                }
                out.append(fields.get(i));
            }
            out.append('\r');
        }
    }

    Segment segment(String name) {
        return new Segment(name);
    }

    /** Components joined by ^, each escaped; a component may hold subcomponents already joined by {@link #sub}. */
    private String composite(String... components) {
        int last = components.length;
        while (last > 0 && (components[last - 1] == null || components[last - 1].isEmpty())) {
            last--;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < last; i++) {
            if (i > 0) {
                b.append(d.component());
            }
            String c = components[i];
            if (c != null) {
                b.append(c.startsWith(SUB) ? c.substring(SUB.length()) : Er7Escapes.escape(c, d));
            }
        }
        return b.toString();
    }

    private static final String SUB = "\u0000sub:";

    /** Subcomponents joined by &, each escaped, for use as one component. */
    String sub(String... parts) {
        int last = parts.length;
        while (last > 0 && (parts[last - 1] == null || parts[last - 1].isEmpty())) {
            last--;
        }
        StringBuilder b = new StringBuilder(SUB);
        for (int i = 0; i < last; i++) {
            if (i > 0) {
                b.append(d.subcomponent());
            }
            b.append(parts[i] == null ? "" : Er7Escapes.escape(parts[i], d));
        }
        return b.toString();
    }

    String text() {
        return out.toString();
    }
}
