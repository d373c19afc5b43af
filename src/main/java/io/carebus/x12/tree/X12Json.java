package io.carebus.x12.tree;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.carebus.x12.read.X12Segment;

/**
 * A transaction set as JSON keyed by loop ids: each loop is an object whose keys are segment ids (an array of
 * occurrences, each an object of reference designators such as {@code "CLM01"}) and nested loop ids (an array of
 * loop instances). Composites are arrays of components, repeating elements arrays of repetitions.
 */
public final class X12Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private X12Json() {
    }

    public static ObjectNode transaction(X12Transaction t) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("transactionSet", t.transactionSet());
        out.put("controlNumber", t.controlNumber());
        out.put("implementationReference", t.result().implementationReference());
        out.put("schema", t.result().schema());
        out.put("accepted", t.result().accepted());
        out.set(t.root().id(), loop(t.root()));
        return out;
    }

    public static ObjectNode loop(X12Loop loop) {
        ObjectNode node = MAPPER.createObjectNode();
        for (Object child : loop.children()) {
            if (child instanceof X12Segment s) {
                array(node, s.id()).add(segment(s));
            } else {
                X12Loop l = (X12Loop) child;
                array(node, l.id()).add(loop(l));
            }
        }
        return node;
    }

    private static ArrayNode array(ObjectNode node, String key) {
        JsonNode existing = node.get(key);
        return existing instanceof ArrayNode a ? a : node.putArray(key);
    }

    public static ObjectNode segment(X12Segment s) {
        ObjectNode node = MAPPER.createObjectNode();
        char component = s.delimiters().component();
        char repetition = s.delimiters().repetition();
        for (int i = 1; i <= s.elementCount(); i++) {
            String value = s.element(i);
            if (value.isEmpty()) {
                continue;
            }
            String key = s.id() + String.format("%02d", i);
            if (value.indexOf(repetition) >= 0 && !s.id().equals("ISA")) {
                ArrayNode reps = node.putArray(key);
                for (String r : s.repetitions(i)) {
                    reps.add(r.indexOf(component) >= 0 ? components(List.of(r.split(java.util.regex.Pattern.quote(
                            String.valueOf(component)), -1))) : MAPPER.getNodeFactory().textNode(r));
                }
            } else if (value.indexOf(component) >= 0 && !s.id().equals("ISA")) {
                node.set(key, components(s.components(i)));
            } else {
                node.put(key, value);
            }
        }
        return node;
    }

    private static ArrayNode components(List<String> parts) {
        ArrayNode a = MAPPER.createArrayNode();
        parts.forEach(a::add);
        return a;
    }
}
