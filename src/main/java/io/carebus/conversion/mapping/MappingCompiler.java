package io.carebus.conversion.mapping;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.ResourceFactory;

/**
 * Compiles mapping documents into rule trees once, at start-up: element paths are checked against the FHIR R4
 * model, datatypes, tables and functions are resolved by name, so a conversion only runs small compiled
 * functions. Any mistake in a file is a {@link MappingException} naming the file's entry.
 */
public final class MappingCompiler {

    private final MappingDocuments docs;
    private final MappingFunctions functions;
    private final Map<String, CodeTable> tables = new HashMap<>();
    private final Map<String, List<MappingRule>> datatypeRules = new HashMap<>();
    private final Map<String, ResourceMapping> resources = new HashMap<>();
    private final Set<String> compiling = new HashSet<>();

    private MappingCompiler(MappingDocuments docs, MappingFunctions functions) {
        this.docs = docs;
        this.functions = functions;
    }

    public static MappingSet compile(MappingDocuments docs, MappingFunctions functions) {
        return new MappingCompiler(docs, functions).compileAll();
    }

    private MappingSet compileAll() {
        docs.kind("codesystems").forEach((name, doc) -> tables.put(name, table(name, doc)));
        docs.kind("datatypes").keySet().forEach(name -> {
            if (docs.kind("datatypes").get(name).containsKey("resource")) {
                resource(name);
            } else {
                datatype(name);
            }
        });
        docs.kind("segments").forEach((name, doc) -> {
            if (doc.containsKey("resource")) {
                resource(name);
            }
        });
        Map<String, MessageMapping> byEvent = new HashMap<>();
        Map<String, MessageMapping> byCode = new HashMap<>();
        Map<String, List<MappingRule>> into = new HashMap<>();
        docs.kind("messages").forEach((name, doc) -> {
            MessageMapping m = message(name, doc, into);
            for (String event : m.events()) {
                if (event.contains("^")) {
                    byEvent.put(event, m);
                } else {
                    byCode.put(event, m);
                }
            }
        });
        Map<String, ValueBuilder> datatypeBuilders = new HashMap<>();
        docs.kind("datatypes").forEach((name, doc) -> {
            if (!doc.containsKey("resource")) {
                List<MappingRule> compiled = datatype(name);
                datatypeBuilders.put(name, Builders.datatype(String.valueOf(doc.get("fhir")), () -> compiled,
                        datatypeRequires(name)));
            }
        });
        return new MappingSet(byEvent, byCode, tables, into, datatypeBuilders);
    }

    // ---- code systems

    @SuppressWarnings("unchecked")
    private static CodeTable table(String name, Map<String, Object> doc) {
        String system = (String) doc.get("system");
        Map<String, CodeTable.Concept> codes = new LinkedHashMap<>();
        boolean ignoreCase = Boolean.TRUE.equals(doc.get("ignoreCase"));
        Object codeMap = doc.get("codes");
        if (codeMap instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String v2 = String.valueOf(e.getKey());
                Object target = e.getValue();
                CodeTable.Concept c;
                if (target instanceof Map<?, ?> t) {
                    Map<String, Object> tm = (Map<String, Object>) t;
                    c = new CodeTable.Concept((String) tm.getOrDefault("system", system), String.valueOf(tm.get("code")),
                            (String) tm.get("display"));
                } else {
                    c = new CodeTable.Concept(system, String.valueOf(target), null);
                }
                codes.put(ignoreCase ? v2.toUpperCase(java.util.Locale.ROOT) : v2, c);
            }
        }
        List<CodeTable.PatternRule> patterns = new ArrayList<>();
        if (doc.get("patterns") instanceof List<?> l) {
            for (Object o : l) {
                Map<String, Object> p = (Map<String, Object>) o;
                patterns.add(new CodeTable.PatternRule(Pattern.compile(String.valueOf(p.get("match"))),
                        String.valueOf(p.get("to"))));
            }
        }
        CodeTable.Concept unmapped = null;
        if (doc.get("unmapped") instanceof Map<?, ?> u) {
            Map<String, Object> um = (Map<String, Object>) u;
            unmapped = new CodeTable.Concept((String) um.getOrDefault("system", system), (String) um.get("code"),
                    (String) um.get("display"));
        }
        return new CodeTable(name, system, codes, patterns, unmapped, ignoreCase,
                !Boolean.FALSE.equals(doc.get("unmappedAsText")));
    }

    private CodeTable tableNamed(String name, String where) {
        CodeTable t = tables.get(name);
        if (t == null) {
            throw new MappingException(where + ": no code table '" + name + "'");
        }
        return t;
    }

    // ---- datatypes and resources

    private List<MappingRule> datatype(String name) {
        List<MappingRule> done = datatypeRules.get(name);
        if (done != null) {
            return done;
        }
        Map<String, Object> doc = docs.kind("datatypes").get(name);
        if (doc == null) {
            throw new MappingException("No datatype mapping '" + name + "'");
        }
        if (!compiling.add("datatype:" + name)) {
            // recursive datatype (rare): resolved lazily at conversion
            return null;
        }
        String fhirType = String.valueOf(doc.get("fhir"));
        Base template = ResourceFactory.createType(fhirType);
        List<MappingRule> rules = rules(doc.get("rules"), template, "datatypes/" + name);
        datatypeRules.put(name, rules);
        compiling.remove("datatype:" + name);
        return rules;
    }

    @SuppressWarnings("unchecked")
    private List<String> datatypeRequires(String name) {
        return (List<String>) docs.kind("datatypes").get(name).getOrDefault("requires", List.of());
    }

    private String datatypeFhirType(String name) {
        Map<String, Object> doc = docs.kind("datatypes").get(name);
        return doc == null ? null : String.valueOf(doc.get("fhir"));
    }

    @SuppressWarnings("unchecked")
    private ResourceMapping resource(String name) {
        ResourceMapping done = resources.get(name);
        if (done != null) {
            return done;
        }
        Map<String, Object> doc = docs.kind("segments").get(name);
        if (doc == null) {
            doc = docs.kind("datatypes").get(name);
        }
        if (doc == null || !doc.containsKey("resource")) {
            throw new MappingException("No resource mapping '" + name + "'");
        }
        String type = String.valueOf(doc.get("resource"));
        List<String> profiles = doc.get("profile") instanceof List<?> l ? (List<String>) l
                : doc.get("profile") == null ? List.of() : List.of(String.valueOf(doc.get("profile")));
        Map<String, Object> request = (Map<String, Object>) doc.getOrDefault("request", Map.of());
        ResourceMapping.Method method = ResourceMapping.Method.valueOf(
                String.valueOf(request.getOrDefault("method", "POST")));
        List<String> requires = (List<String>) doc.getOrDefault("requires", List.of());
        ResourceMapping mapping = new ResourceMapping(name, type, profiles, method, requires);
        resources.put(name, mapping);
        Base template;
        try {
            template = ResourceFactory.createResource(type);
        } catch (RuntimeException e) {
            throw new MappingException(name + ": unknown resource type " + type, e);
        }
        mapping.rules(rules(doc.get("rules"), template, name));
        return mapping;
    }

    // ---- rules

    @SuppressWarnings("unchecked")
    private List<MappingRule> rules(Object spec, Base template, String where) {
        List<MappingRule> out = new ArrayList<>();
        if (spec == null) {
            return out;
        }
        if (!(spec instanceof List<?> list)) {
            throw new MappingException(where + ": 'rules' must be a list");
        }
        for (Object o : list) {
            out.add(rule((Map<String, Object>) o, template, where));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private MappingRule rule(Map<String, Object> r, Base template, String where) {
        if (r.containsKey("call")) {
            String name = String.valueOf(r.get("call"));
            return new CallRule(name, functions.segment(name),
                    r.containsKey("from") ? SourcePosition.parse(r.get("from")) : null);
        }
        String to = (String) r.get("to");
        if (to == null) {
            throw new MappingException(where + ": a rule needs 'to' (or 'call'): " + r);
        }
        String at = where + " → " + to;
        ElementPath path = ElementPath.compile(to, template);
        SourcePosition from = r.containsKey("from") ? SourcePosition.parse(r.get("from")) : null;
        SourcePosition when = r.containsKey("when") ? SourcePosition.parse(r.get("when")) : null;
        SourcePosition unless = r.containsKey("unless") ? SourcePosition.parse(r.get("unless")) : null;
        boolean first = Boolean.TRUE.equals(r.get("first"));
        boolean fallback = Boolean.TRUE.equals(r.get("default"));
        ValueMatch match = r.containsKey("match") ? ValueMatch.compile(r.get("match"), at) : null;
        if (r.containsKey("notIn")) {
            match = ValueMatch.notIn(tableNamed(String.valueOf(r.get("notIn")), at), match);
        }
        if (r.containsKey("rules")) {
            Base parent = path.parent(template);
            Base child = path.addNew(parent);
            List<MappingRule> nested = rules(r.get("rules"), child, at);
            return new ElementRule(from, when, unless, match, path, null, nested, first, fallback);
        }
        return new ElementRule(from, when, unless, match, path, builder(r, path, at), null, first, fallback);
    }

    private ValueBuilder builder(Map<String, Object> r, ElementPath path, String where) {
        String leafType = path.leafType();
        String as = r.get("as") == null ? null : String.valueOf(r.get("as"));
        if (r.containsKey("const")) {
            return Builders.constant(r.get("const"), leafType);
        }
        if (r.containsKey("ref")) {
            return Builders.reference(String.valueOf(r.get("ref")));
        }
        if (r.containsKey("refSegment")) {
            return Builders.referenceToSegment(String.valueOf(r.get("refSegment")));
        }
        if (r.containsKey("resource")) {
            String name = String.valueOf(r.get("resource"));
            if (!docs.kind("segments").containsKey(name) && !docs.kind("datatypes").containsKey(name)) {
                throw new MappingException(where + ": no resource mapping '" + name + "'");
            }
            return Builders.resource(() -> resource(name));
        }
        if (as != null && as.startsWith("@")) {
            return functions.value(as.substring(1));
        }
        if (r.containsKey("table")) {
            return Builders.table(tableNamed(String.valueOf(r.get("table")), where), leafType);
        }
        if (as != null && docs.kind("datatypes").containsKey(as)) {
            String fhirType = datatypeFhirType(as);
            if (!"Extension".equals(leafType) && !fhirType.equals(leafType) && !"Element".equals(leafType)) {
                throw new MappingException(where + ": datatype " + as + " makes " + fhirType + ", the element is "
                        + leafType);
            }
            List<MappingRule> compiled = datatype(as);
            List<String> requires = datatypeRequires(as);
            if (compiled == null) {
                return Builders.datatype(fhirType, () -> datatypeRules.get(as), requires);
            }
            return Builders.datatype(fhirType, () -> compiled, requires);
        }
        if (Primitives.isPrimitive(leafType)) {
            String kind = as == null ? leafType : as;
            if (!Primitives.isPrimitive(kind)) {
                throw new MappingException(where + ": unknown 'as: " + as + "'");
            }
            return Builders.primitive(kind, leafType);
        }
        throw new MappingException(where + ": element of type " + leafType + " needs 'as' (a datatype mapping), "
                + "'table', 'const', 'ref', 'resource' or nested 'rules'");
    }

    // ---- messages

    @SuppressWarnings("unchecked")
    private MessageMapping message(String name, Map<String, Object> doc, Map<String, List<MappingRule>> into) {
        Set<String> events = new HashSet<>();
        for (Object e : (List<Object>) doc.getOrDefault("events", List.of())) {
            events.add(String.valueOf(e));
        }
        Map<String, MessageMapping.SegmentEntry> segments = new LinkedHashMap<>();
        Map<String, Object> segs = (Map<String, Object>) doc.getOrDefault("segments", Map.of());
        for (Map.Entry<String, Object> e : segs.entrySet()) {
            String segment = e.getKey();
            Map<String, Object> spec = (Map<String, Object>) e.getValue();
            String where = "messages/" + name + " " + segment;
            List<ResourceMapping> made = new ArrayList<>();
            Object resourceSpec = spec.get("resource");
            for (Object r : resourceSpec instanceof List<?> l ? l : resourceSpec == null ? List.of() : List.of(resourceSpec)) {
                made.add(resource(String.valueOf(r)));
            }
            String parent = (String) spec.get("parent");
            String element = (String) spec.get("element");
            if (parent != null && element == null) {
                throw new MappingException(where + ": 'parent' needs 'element'");
            }
            List<Map<String, Object>> intoSpec = null;
            if (spec.containsKey("into")) {
                Object intoValue = spec.get("into");
                List<Object> on = (List<Object>) spec.getOrDefault("types", List.of());
                if (intoValue instanceof String shared) {
                    // a segment file without a resource: rules folded into resources of the types it lists
                    Map<String, Object> sharedDoc = docs.kind("segments").get(shared);
                    if (sharedDoc == null) {
                        throw new MappingException(where + ": no segment mapping '" + shared + "'");
                    }
                    intoSpec = (List<Map<String, Object>>) sharedDoc.getOrDefault("rules", List.of());
                    on = (List<Object>) sharedDoc.getOrDefault("types", on);
                    where = where + " (" + shared + ")";
                } else {
                    intoSpec = (List<Map<String, Object>>) intoValue;
                }
                for (Object type : on) {
                    String t = String.valueOf(type);
                    into.put(t + "|" + segment, rules(intoSpec, ResourceFactory.createResource(t), where + " on " + t));
                }
            }
            ElementPath parentPath = null;
            if (parent != null) {
                Map<String, Object> parentSpec = (Map<String, Object>) segs.get(parent);
                if (parentSpec == null || !parentSpec.containsKey("resource")) {
                    throw new MappingException(where + ": parent segment " + parent + " makes no resource here");
                }
                Object parentResource = parentSpec.get("resource");
                if (parentResource instanceof List<?> pl) {
                    parentResource = pl.get(pl.size() - 1);
                }
                String parentType = resource(String.valueOf(parentResource)).resourceType();
                parentPath = ElementPath.compile(element, ResourceFactory.createResource(parentType));
            }
            segments.put(segment, new MessageMapping.SegmentEntry(segment, made, parent, parentPath, intoSpec,
                    (String) spec.get("target")));
        }
        return new MessageMapping(name, events, segments);
    }
}
