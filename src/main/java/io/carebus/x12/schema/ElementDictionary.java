package io.carebus.x12.schema;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

/** X12 data element dictionary (mappings/x12/elements.yaml): number → type and length. */
public final class ElementDictionary {

    /** Type and length of one data element. */
    public record Entry(DataType type, int minLength, int maxLength) {
    }

    /** Used for an element the dictionary does not know: any string up to the X12 maximum. */
    static final Entry UNKNOWN = new Entry(DataType.AN, 1, 999_999);

    private final Map<String, Entry> entries;

    private ElementDictionary(Map<String, Entry> entries) {
        this.entries = entries;
    }

    public static ElementDictionary read(InputStream yaml) throws IOException {
        Map<Object, Object> raw = new Yaml().load(yaml);
        Map<String, Entry> entries = new HashMap<>();
        raw.forEach((number, spec) -> {
            String[] parts = String.valueOf(spec).trim().split("\\s+");
            entries.put(String.valueOf(number), new Entry(DataType.of(parts[0]), Integer.parseInt(parts[1]),
                    Integer.parseInt(parts[2])));
        });
        return new ElementDictionary(entries);
    }

    public Entry get(String number) {
        return entries.getOrDefault(number, UNKNOWN);
    }
}
