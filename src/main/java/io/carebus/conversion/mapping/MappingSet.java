package io.carebus.conversion.mapping;

import java.util.List;
import java.util.Map;

/** One compiled set of mappings (the shared one, or the shared one with a sender's file over it). */
public final class MappingSet {

    private final Map<String, MessageMapping> byEvent;
    private final Map<String, MessageMapping> byMessageCode;
    private final Map<String, CodeTable> tables;
    /** "resourceType|segment" → rules folding a segment into the latest resource */
    private final Map<String, List<MappingRule>> intoRules;
    private final Map<String, ValueBuilder> datatypes;

    MappingSet(Map<String, MessageMapping> byEvent, Map<String, MessageMapping> byMessageCode,
               Map<String, CodeTable> tables, Map<String, List<MappingRule>> intoRules,
               Map<String, ValueBuilder> datatypes) {
        this.datatypes = Map.copyOf(datatypes);
        this.byEvent = Map.copyOf(byEvent);
        this.byMessageCode = Map.copyOf(byMessageCode);
        this.tables = Map.copyOf(tables);
        this.intoRules = Map.copyOf(intoRules);
    }

    /** The mapping for MSH-9.1^MSH-9.2 (ADT^A01), else for MSH-9.1 alone; null when none. */
    public MessageMapping message(String code, String event) {
        MessageMapping m = byEvent.get(code + "^" + event);
        return m != null ? m : byMessageCode.get(code);
    }

    /** A compiled datatype mapping (CWE → CodeableConcept…), for Java functions that pick one by data. */
    public ValueBuilder datatype(String name) {
        ValueBuilder b = datatypes.get(name);
        if (b == null) {
            throw new MappingException("No datatype mapping '" + name + "'");
        }
        return b;
    }

    public CodeTable table(String name) {
        return tables.get(name);
    }

    List<MappingRule> intoRules(String resourceType, String segment) {
        return intoRules.get(resourceType + "|" + segment);
    }

    public java.util.Set<String> events() {
        return byEvent.keySet();
    }
}
