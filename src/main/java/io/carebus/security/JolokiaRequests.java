package io.carebus.security;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Jolokia requests (read, write, exec, list, search, version, notification, config) an HTTP request to the
 * Jolokia agent asks for, read the way the agent reads them (Jolokia 2 protocol): a GET names its type in the first
 * path element after the agent's path, or in the {@code p} parameter when that path is empty; no type at all is a
 * version request. A POST carries one JSON request object, or an array of them (a bulk request), each with its
 * {@code type}, and for an exec its {@code mbean}, {@code operation} and {@code arguments}. Anything this cannot
 * read for certain yields no requests, and the caller treats that as a write.
 */
public final class JolokiaRequests {

    /**
     * One request: its type in lower case; for an exec sent by POST also its MBean, operation and number of
     * arguments (null, null, 0 otherwise: an exec by GET is never one an analyst may run).
     */
    public record Request(String type, String mbean, String operation, int arguments) {
        static Request ofType(String type) {
            return new Request(type, null, null, 0);
        }
    }

    /** The types that only look: attribute values, the MBean tree, MBean names, the agent's version. */
    public static final Set<String> READ_ONLY = Set.of("read", "list", "search", "version");

    /**
     * The keys a request object may have to be read here. Others are refused, among them {@code target} and
     * {@code options}, with which the agent's JSR-160 proxy connects to another JMX server of the client's choosing.
     */
    static final Set<String> KNOWN_KEYS = Set.of("type", "mbean", "attribute", "path", "operation", "arguments",
            "value", "config");

    private static final ObjectMapper JSON = new ObjectMapper()
            // a second "type" key, or a second JSON value after the first, could be read differently by the agent
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JolokiaRequests() {
    }

    /**
     * The type of a GET request.
     *
     * @param path the decoded path after the agent's own path ("" or null when there is none)
     * @param pParameters the values of the {@code p} parameter (may be empty)
     */
    public static Optional<List<Request>> ofGet(String path, List<String> pParameters) {
        List<String> types = new ArrayList<>();
        boolean pathIsEmpty = path == null || path.matches("/*");
        if (!pathIsEmpty) {
            types.add(firstElement(path));
        }
        for (String p : pParameters) {
            // the agent reads p only when the path is empty; both are checked, so neither can hide the other
            types.add(p == null || p.matches("/*") ? "version" : firstElement(p));
        }
        if (types.isEmpty()) {
            types.add("version");
        }
        return Optional.of(types.stream().map(t -> Request.ofType(t.toLowerCase(Locale.ROOT))).toList());
    }

    /** The requests of a POST body: one per request of a bulk request; empty when the body is not a valid request. */
    public static Optional<List<Request>> ofPost(String body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (Exception e) {
            return Optional.empty();
        }
        if (json == null) {
            return Optional.empty();
        }
        List<JsonNode> requests = new ArrayList<>();
        if (json.isArray()) {
            json.forEach(requests::add);
        } else {
            requests.add(json);
        }
        List<Request> read = new ArrayList<>();
        for (JsonNode request : requests) {
            JsonNode type = request.isObject() ? request.get("type") : null;
            if (type == null || !type.isTextual()) {
                return Optional.empty();
            }
            for (Iterator<String> keys = request.fieldNames(); keys.hasNext(); ) {
                if (!KNOWN_KEYS.contains(keys.next())) {
                    return Optional.empty();
                }
            }
            JsonNode mbean = request.get("mbean");
            JsonNode operation = request.get("operation");
            JsonNode arguments = request.get("arguments");
            // the agent takes a single value for a one-argument operation as well as an array
            int count = arguments == null || arguments.isNull() ? 0 : arguments.isArray() ? arguments.size() : 1;
            read.add(new Request(type.textValue().toLowerCase(Locale.ROOT),
                    mbean != null && mbean.isTextual() ? mbean.textValue() : null,
                    operation != null && operation.isTextual() ? operation.textValue() : null, count));
        }
        return read.isEmpty() ? Optional.empty() : Optional.of(read);
    }

    /**
     * True when an analyst may send all of these: every request only looks ({@link #READ_ONLY}) or is an exec of
     * an operation that Hawtio needs to show what analysts watch ({@link JolokiaAnalystOperations}).
     */
    public static boolean forAnalysts(Optional<List<Request>> requests) {
        return requests.isPresent() && requests.get().stream().allMatch(JolokiaRequests::analystMay);
    }

    /** True when an analyst may send this request (see {@link #forAnalysts}). */
    public static boolean analystMay(Request r) {
        return READ_ONLY.contains(r.type())
                || "exec".equals(r.type()) && JolokiaAnalystOperations.allows(r.mbean(), r.operation(), r.arguments());
    }

    // The agent strips one leading slash and takes the path up to the next slash as the type; an escaped slash
    // ("!/") stays in the element, which then names no known type (and is refused here as well).
    private static String firstElement(String path) {
        String rest = path.startsWith("/") ? path.substring(1) : path;
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
