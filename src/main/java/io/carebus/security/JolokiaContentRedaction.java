package io.carebus.security;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Takes message content out of what the Jolokia agent answers an analyst. An Artemis queue's
 * {@code FirstMessageAsJSON} attribute shows the first queued message's headers, among them a dead letter's error
 * text, which can quote the message (patient data); a Jolokia read is not audited, where every view of content
 * through the admin API is. Reading all of a queue's attributes (as Hawtio does) answers without it; reading it by
 * name answers 403 in Jolokia's own form, and so does any answer that does not say what it answers (the
 * {@code includeRequest=false} option). Other attributes pass untouched.
 */
final class JolokiaContentRedaction {

    /** Attribute names (compared ignoring case) whose values are message content. */
    static final Set<String> CONTENT_ATTRIBUTES = Set.of("firstmessageasjson");

    private static final ObjectMapper JSON = new ObjectMapper();

    private JolokiaContentRedaction() {
    }

    /** The agent's answer without content; an answer that is not JSON is replaced by a 403 one. */
    static byte[] redact(byte[] body) {
        if (body.length == 0) {
            return body;
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(body);
        } catch (java.io.IOException e) {
            answer = null;
        }
        try {
            if (answer instanceof ArrayNode bulk) {
                for (int i = 0; i < bulk.size(); i++) {
                    bulk.set(i, redactOne(bulk.get(i)));
                }
                return JSON.writeValueAsBytes(bulk);
            }
            if (answer instanceof ObjectNode one) {
                return JSON.writeValueAsBytes(redactOne(one));
            }
            return JSON.writeValueAsBytes(refused(JSON.createObjectNode()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode redactOne(JsonNode response) {
        if (!(response instanceof ObjectNode object)) {
            return response;
        }
        // Without the request echoed (the includeRequest=false option) nothing tells which attribute a value is:
        // refused. Earlier values of watched attributes (history) are never passed on.
        object.remove("history");
        JsonNode attribute = object.path("request").path("attribute");
        if (!object.path("request").isObject() || attribute.isTextual() && isContent(attribute.textValue())) {
            return refused(object);
        }
        removeContent(object.get("value"));
        return object;
    }

    /** Removes content attributes from a read's value: {attribute: value} or, for a pattern, {mbean: {…}}. */
    private static void removeContent(JsonNode value) {
        if (value instanceof ObjectNode map) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = map.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (isContent(field.getKey())) {
                    fields.remove();
                } else {
                    removeContent(field.getValue());
                }
            }
        }
    }

    private static ObjectNode refused(ObjectNode response) {
        ObjectNode refused = JSON.createObjectNode();
        if (response.has("request")) {
            refused.set("request", response.get("request"));
        }
        refused.put("status", 403);
        refused.put("error_type", "java.lang.SecurityException");
        refused.put("error", "Message content is not read through Jolokia: use the admin API");
        return refused;
    }

    private static boolean isContent(String attribute) {
        return CONTENT_ATTRIBUTES.contains(attribute.toLowerCase(Locale.ROOT));
    }
}
