package io.carebus.conversion.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The mapping files as read, before compilation, by kind (messages, segments, datatypes, codesystems) and name.
 * Sender files ({@code senders/<MSH-3>^<MSH-4>.yaml}) are kept apart and laid over a copy for that sender.
 */
public final class MappingDocuments {

    static final List<String> KINDS = List.of("messages", "segments", "datatypes", "codesystems");
    private static final Map<String, String> NAME_KEYS = Map.of("messages", "message", "segments", "mapping",
            "datatypes", "datatype", "codesystems", "table");

    private final Map<String, Map<String, Map<String, Object>>> byKind = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> senders = new LinkedHashMap<>();

    public MappingDocuments() {
        for (String kind : KINDS) {
            byKind.put(kind, new LinkedHashMap<>());
        }
    }

    /** Reads {@code <dir>/{messages,segments,datatypes,codesystems,senders}/*.yaml}. */
    public static MappingDocuments fromDirectory(Path dir) {
        MappingDocuments docs = new MappingDocuments();
        for (String kind : KINDS) {
            for (Path file : yamlFiles(dir.resolve(kind))) {
                docs.add(kind, file.toString(), read(file));
            }
        }
        for (Path file : yamlFiles(dir.resolve("senders"))) {
            String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            Map<String, Object> doc = read(file);
            docs.senders.put(String.valueOf(doc.getOrDefault("sender", name)), doc);
        }
        return docs;
    }

    private static List<Path> yamlFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(InputStream in, String source) {
        LoaderOptions options = new LoaderOptions();
        Object doc = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                options, new CodeFriendlyResolver()).load(in);
        if (!(doc instanceof Map)) {
            throw new MappingException(source + ": a mapping file holds one YAML mapping");
        }
        return (Map<String, Object>) doc;
    }

    /**
     * YAML 1.1 reads Y, N, on, off, yes and no as booleans and 2025-01-01 as a date: in code tables those are
     * codes (HL7 table 0136 Y/N, table 0001 N). Only true/false are booleans here, and no timestamps.
     */
    private static final class CodeFriendlyResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, java.util.regex.Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$"),
                    "tTfF");
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }

    /** Adds one document of a kind; its name comes from its own key (message:, mapping:, datatype:, table:). */
    public void add(String kind, String source, Map<String, Object> doc) {
        Object name = doc.get(NAME_KEYS.get(kind));
        if (name == null) {
            throw new MappingException(source + ": no '" + NAME_KEYS.get(kind) + ":' name");
        }
        byKind.get(kind).put(String.valueOf(name), doc);
    }

    public void addSender(String sender, Map<String, Object> doc) {
        senders.put(sender, doc);
    }

    Map<String, Map<String, Object>> kind(String kind) {
        return byKind.get(kind);
    }

    public Map<String, Map<String, Object>> senders() {
        return senders;
    }

    /**
     * A copy with a sender's file laid over it: maps merge key by key, lists are appended to (a sender's rules
     * run after the shared ones), anything else replaces.
     */
    @SuppressWarnings("unchecked")
    public MappingDocuments withOverlay(Map<String, Object> overlay) {
        MappingDocuments copy = new MappingDocuments();
        for (String kind : KINDS) {
            for (Map.Entry<String, Map<String, Object>> e : byKind.get(kind).entrySet()) {
                copy.byKind.get(kind).put(e.getKey(), (Map<String, Object>) deepCopy(e.getValue()));
            }
            Object over = overlay.get(kind);
            if (over instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    String name = String.valueOf(e.getKey());
                    Map<String, Object> base = copy.byKind.get(kind).get(name);
                    Map<String, Object> add = (Map<String, Object>) e.getValue();
                    if (base == null) {
                        Map<String, Object> doc = new LinkedHashMap<>(add);
                        doc.putIfAbsent(NAME_KEYS.get(kind), name);
                        copy.byKind.get(kind).put(name, doc);
                    } else {
                        merge(base, add);
                    }
                }
            }
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> base, Map<String, Object> over) {
        for (Map.Entry<String, Object> e : over.entrySet()) {
            Object existing = base.get(e.getKey());
            if (existing instanceof Map && e.getValue() instanceof Map) {
                merge((Map<String, Object>) existing, (Map<String, Object>) e.getValue());
            } else if (existing instanceof List && e.getValue() instanceof List) {
                List<Object> list = new ArrayList<>((List<Object>) existing);
                list.addAll((List<Object>) deepCopy(e.getValue()));
                base.put(e.getKey(), list);
            } else {
                base.put(e.getKey(), deepCopy(e.getValue()));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Object deepCopy(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
            return copy;
        }
        if (o instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(v -> copy.add(deepCopy(v)));
            return copy;
        }
        return o;
    }
}
