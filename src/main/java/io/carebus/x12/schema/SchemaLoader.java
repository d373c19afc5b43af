package io.carebus.x12.schema;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.carebus.x12.read.X12Segment;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads one schema file of mappings/x12 (format described in mappings/x12/README.md) into the tree the validator
 * walks. Element lengths and types come from the {@link ElementDictionary}.
 */
public final class SchemaLoader {

    private final ElementDictionary dictionary;

    public SchemaLoader(ElementDictionary dictionary) {
        this.dictionary = dictionary;
    }

    @SuppressWarnings("unchecked")
    public TransactionSchema read(String name, InputStream yaml) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(16 * 1024 * 1024);
        Map<String, Object> raw = new Yaml(options).load(yaml);
        String transactionSet = String.valueOf(raw.get("transaction"));
        List<String> versions = ((List<Object>) raw.get("versions")).stream().map(String::valueOf).toList();
        List<Node> body = nodes(name, (List<Map<String, Object>>) raw.get("body"), Map.of());
        if (body.isEmpty()) {
            throw new X12SchemaException("Schema " + name + " has an empty body");
        }
        return new TransactionSchema(name, transactionSet, versions,
                new LoopDef(name, String.valueOf(raw.getOrDefault("name", name)), Usage.REQUIRED, 1, body));
    }

    @SuppressWarnings("unchecked")
    private List<Node> nodes(String schema, List<Map<String, Object>> raw, Map<String, String> renames) {
        List<Node> nodes = new ArrayList<>();
        for (Map<String, Object> item : raw) {
            if (item.containsKey("segment")) {
                nodes.add(segment(schema, item));
            } else if (item.containsKey("loop")) {
                // a loop that shares its body with another (a YAML alias) renames the nested loop ids it reuses
                Map<String, String> nested = new java.util.HashMap<>(renames);
                ((Map<Object, Object>) item.getOrDefault("rename", Map.of()))
                        .forEach((from, to) -> nested.put(String.valueOf(from), String.valueOf(to)));
                String id = String.valueOf(item.get("loop"));
                id = renames.getOrDefault(id, id);
                List<Node> children = nodes(schema, (List<Map<String, Object>>) item.get("body"), nested);
                if (children.isEmpty() || !(children.get(0) instanceof SegmentDef)) {
                    throw new X12SchemaException(schema + " loop " + id + " must start with a segment");
                }
                nodes.add(new LoopDef(id, String.valueOf(item.getOrDefault("name", id)),
                        Usage.of(String.valueOf(item.getOrDefault("usage", "S"))),
                        repeat(String.valueOf(item.getOrDefault("repeat", "1"))), List.copyOf(children)));
            } else {
                throw new X12SchemaException(schema + ": an item is neither a segment nor a loop: " + item);
            }
        }
        return nodes;
    }

    private static int repeat(String value) {
        return value.startsWith(">") ? Integer.MAX_VALUE : Integer.parseInt(value);
    }

    @SuppressWarnings("unchecked")
    private SegmentDef segment(String schema, Map<String, Object> item) {
        String id = String.valueOf(item.get("segment"));
        Map<String, Object> elementSpecs = (Map<String, Object>) item.getOrDefault("elements", Map.of());
        // position -> simple element or composite; components collected by their -n suffix
        TreeMap<Integer, String[]> simple = new TreeMap<>();
        Map<Integer, TreeMap<Integer, String[]>> components = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : elementSpecs.entrySet()) {
            String reference = e.getKey();
            if (!reference.startsWith(id)) {
                throw new X12SchemaException(schema + " " + id + ": element " + reference + " names another segment");
            }
            String position = reference.substring(id.length());
            String[] spec = {reference, String.valueOf(e.getValue())};
            int dash = position.indexOf('-');
            if (dash < 0) {
                simple.put(Integer.parseInt(position), spec);
            } else {
                components.computeIfAbsent(Integer.parseInt(position.substring(0, dash)), k -> new TreeMap<>())
                        .put(Integer.parseInt(position.substring(dash + 1)), spec);
            }
        }
        int last = simple.isEmpty() ? 0 : simple.lastKey();
        List<ElementDef> elements = new ArrayList<>(Arrays.asList(new ElementDef[last]));
        for (Map.Entry<Integer, String[]> e : simple.entrySet()) {
            List<ElementDef> parts = new ArrayList<>();
            TreeMap<Integer, String[]> comps = components.get(e.getKey());
            if (comps != null) {
                for (Map.Entry<Integer, String[]> c : comps.entrySet()) {
                    while (parts.size() < c.getKey() - 1) {
                        parts.add(null);
                    }
                    parts.add(element(schema, c.getValue()[0], c.getValue()[1], List.of()));
                }
            }
            elements.set(e.getKey() - 1, element(schema, e.getValue()[0], e.getValue()[1], parts));
        }
        List<SyntaxRule> syntax = ((List<Object>) item.getOrDefault("syntax", List.of())).stream()
                .map(String::valueOf).map(SyntaxRule::parse).toList();
        int qualifier = 0;
        int qualifierComponent = 0;
        Set<String> qualifierCodes = Set.of();
        // The element that tells sibling segments apart, as pyx12 decides it: 01 when it is a required coded
        // element, else the first component of a coded composite 01, else HL03.
        ElementDef first = elements.isEmpty() ? null : elements.get(0);
        if (first != null && !first.composite() && first.type() == DataType.ID && first.usage() == Usage.REQUIRED
                && !first.codes().isEmpty()) {
            qualifier = 1;
            qualifierCodes = first.codes();
        } else if (first != null && first.composite() && !first.components().isEmpty()
                && first.components().get(0) != null && !first.components().get(0).codes().isEmpty()) {
            qualifier = 1;
            qualifierComponent = 1;
            qualifierCodes = first.components().get(0).codes();
        } else if (id.equals("HL") && elements.size() >= 3 && elements.get(2) != null
                && !elements.get(2).codes().isEmpty()) {
            qualifier = 3;
            qualifierCodes = elements.get(2).codes();
        }
        String max = String.valueOf(item.getOrDefault("max", "1"));
        return new SegmentDef(id, X12Segment.packedId(id), String.valueOf(item.getOrDefault("name", id)),
                Usage.of(String.valueOf(item.getOrDefault("usage", "S"))), repeat(max), syntax,
                java.util.Collections.unmodifiableList(elements), qualifier, qualifierComponent, qualifierCodes);
    }

    /** Parses "R 1270 *>1 [A, B]" into an element definition. */
    private ElementDef element(String schema, String reference, String spec, List<ElementDef> components) {
        String codesPart = null;
        int bracket = spec.indexOf('[');
        if (bracket >= 0) {
            codesPart = spec.substring(bracket + 1, spec.lastIndexOf(']'));
            spec = spec.substring(0, bracket);
        }
        String[] words = spec.trim().split("\\s+");
        if (words.length < 2) {
            throw new X12SchemaException(schema + " " + reference + ": element spec needs usage and number");
        }
        Usage usage = Usage.of(words[0]);
        String number = words[1];
        int repeat = 1;
        Integer minLength = null;
        Integer maxLength = null;
        for (int i = 2; i < words.length; i++) {
            String w = words[i];
            if (w.startsWith("*")) {
                repeat = repeat(w.substring(1));
            } else if (w.contains("-") && Character.isDigit(w.charAt(0))) {
                minLength = Integer.parseInt(w.substring(0, w.indexOf('-')));
                maxLength = Integer.parseInt(w.substring(w.indexOf('-') + 1));
            }
        }
        Set<String> codes = new LinkedHashSet<>();
        if (codesPart != null) {
            for (String code : codesPart.split(",")) {
                String c = code.trim();
                if (c.startsWith("\"") && c.endsWith("\"") && c.length() >= 2) {
                    c = c.substring(1, c.length() - 1);
                }
                if (!c.isEmpty()) {
                    codes.add(c);
                }
            }
        }
        ElementDictionary.Entry entry = number.startsWith("C") ? ElementDictionary.UNKNOWN : dictionary.get(number);
        return new ElementDef(reference, number, usage, entry.type(),
                minLength != null ? minLength : entry.minLength(), maxLength != null ? maxLength : entry.maxLength(),
                Set.copyOf(codes), repeat, components);
    }
}
