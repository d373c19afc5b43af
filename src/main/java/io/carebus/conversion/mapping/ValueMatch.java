package io.carebus.conversion.mapping;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.carebus.conversion.er7.Er7Segment;

/**
 * {@code match: {2: [NM, SN], 5.3: "-"}}: a rule applies only when each position holds one of the values
 * ({@code "!LN"}: anything but). Positions are read like {@code when}.
 */
final class ValueMatch {

    private record Test(SourcePosition position, Set<String> values, boolean negated) {
    }

    private final List<Test> tests;
    /** {@code notIn: table}: the rule's own value must not be a code of this table */
    private final CodeTable notIn;

    private ValueMatch(List<Test> tests, CodeTable notIn) {
        this.tests = tests;
        this.notIn = notIn;
    }

    static ValueMatch notIn(CodeTable table, ValueMatch others) {
        return new ValueMatch(others == null ? List.of() : others.tests, table);
    }

    static ValueMatch compile(Object spec, String where) {
        if (!(spec instanceof Map<?, ?> map)) {
            throw new MappingException(where + ": 'match' is a map of position → value(s)");
        }
        List<Test> tests = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Set<String> values = new HashSet<>();
            boolean negated = false;
            List<?> list = e.getValue() instanceof List<?> l ? l : List.of(e.getValue() == null ? "" : e.getValue());
            for (Object o : list) {
                String s = String.valueOf(o);
                if (s.startsWith("!")) {
                    negated = true;
                    s = s.substring(1);
                }
                values.add(s);
            }
            tests.add(new Test(SourcePosition.parse(e.getKey()), values, negated));
        }
        return new ValueMatch(tests, null);
    }

    /**
     * @param v       the rule's own value (for notIn)
     * @param context the value positions are read in, or null to read them in the segment
     */
    boolean test(ConversionContext ctx, Er7Segment segment, V2Value v, V2Value context) {
        if (notIn != null && v != null && notIn.lookup(ctx.text(v).trim()) != null) {
            return false;
        }
        for (Test t : tests) {
            String found;
            if (context == null || context.depth() < V2Value.REPETITION || t.position().isAbsolute()) {
                List<V2Value> values = t.position().select(ctx, segment);
                found = values.isEmpty() ? "" : ctx.text(values.get(0));
            } else {
                found = ctx.text(t.position().within(context, ctx.delimiters()));
            }
            if (t.values().contains(found.trim()) == t.negated()) {
                return false;
            }
        }
        return true;
    }
}
