package io.carebus.conversion.mapping;

import java.util.HashMap;
import java.util.Map;

/** The Java functions mapping files may name: {@code as: "@name"} (value) and {@code call: name} (segment). */
public final class MappingFunctions {

    private final Map<String, ValueBuilder> values = new HashMap<>();
    private final Map<String, SegmentFunction> segments = new HashMap<>();

    public MappingFunctions value(String name, ValueBuilder function) {
        values.put(name, function);
        return this;
    }

    public MappingFunctions segment(String name, SegmentFunction function) {
        segments.put(name, function);
        return this;
    }

    ValueBuilder value(String name) {
        ValueBuilder f = values.get(name);
        if (f == null) {
            throw new MappingException("No value function @" + name + " (known: " + values.keySet() + ")");
        }
        return f;
    }

    SegmentFunction segment(String name) {
        SegmentFunction f = segments.get(name);
        if (f == null) {
            throw new MappingException("No segment function " + name + " (known: " + segments.keySet() + ")");
        }
        return f;
    }
}
