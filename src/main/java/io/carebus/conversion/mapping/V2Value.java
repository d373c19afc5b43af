package io.carebus.conversion.mapping;

import io.carebus.conversion.er7.Er7Delimiters;
import io.carebus.conversion.er7.Er7Message;

/**
 * A value cut out of a field: one repetition (depth 2, split into components), one component (depth 3, split
 * into subcomponents) or one subcomponent (depth 4, a leaf). Still escaped.
 */
public record V2Value(String raw, int depth) {

    public static final int REPETITION = 2;
    public static final int COMPONENT = 3;
    public static final int SUBCOMPONENT = 4;

    /** The index-th (from 1) part one level down: component of a repetition, subcomponent of a component. */
    public V2Value part(int index, Er7Delimiters d) {
        if (depth >= SUBCOMPONENT) {
            return index == 1 ? this : new V2Value("", SUBCOMPONENT);
        }
        char separator = depth == REPETITION ? d.component() : d.subcomponent();
        return new V2Value(Er7Message.piece(raw, separator, index), depth + 1);
    }

    /** The first leaf: a primitive read from a composite value takes its first component/subcomponent. */
    public String leaf(Er7Delimiters d) {
        String s = raw;
        if (depth <= REPETITION) {
            s = Er7Message.piece(s, d.component(), 1);
        }
        if (depth <= COMPONENT) {
            s = Er7Message.piece(s, d.subcomponent(), 1);
        }
        return s;
    }

    public boolean isEmpty() {
        return raw.isEmpty() || Er7Message.isDeleteValue(raw);
    }
}
