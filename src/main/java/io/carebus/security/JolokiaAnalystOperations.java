package io.carebus.security;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The JMX operations an analyst may run through Jolokia: those Hawtio's console calls to draw what analysts watch,
 * which change nothing and answer no message content. Without them the console shows analysts neither its JMX tree
 * (Hawtio loads it with the RBAC registry's {@code list}) nor the Camel route diagram ({@code dumpRoutesAsXml},
 * statistics). Everything else (stopping a route, browsing an endpoint or a queue, the tracer's and debugger's
 * messages, sending to an endpoint) stays for ENGINEER.
 *
 * <p>An operation is allowed by its MBean (domain and key properties, never a pattern) and its name, for every
 * signature of that name on that MBean, except where a signature would reveal more: {@code dumpRoutesAsXml} only
 * without arguments, as its {@code resolvePlaceholders} argument would show configuration values.
 */
final class JolokiaAnalystOperations {

    /** Operations of the MBeans matching {@code domain} and {@code keys}; the predicate admits argument counts. */
    private record Allowed(String domain, Map<String, String> keys, Map<String, IntPredicate> operations) {

        boolean matches(ObjectName mbean) {
            if (!domain.equals(mbean.getDomain())) {
                return false;
            }
            return keys.entrySet().stream().allMatch(k -> k.getValue().equals(mbean.getKeyProperty(k.getKey())));
        }
    }

    private static final IntPredicate ANY = n -> true;
    private static final IntPredicate NONE = n -> n == 0;

    private static final List<Allowed> ALLOWED = List.of(
            // the route diagram and its statistics, the context's overview (Camel ManagedCamelContextMBean)
            new Allowed("org.apache.camel", Map.of("type", "context"), Map.of(
                    "dumpRoutesAsXml", NONE,
                    "dumpRoutesStatsAsXml", ANY,
                    "componentNames", NONE)),
            // one route's profile and whether its source may be edited (ManagedRouteMBean)
            new Allowed("org.apache.camel", Map.of("type", "routes"), Map.of(
                    "dumpRouteStatsAsXml", ANY,
                    "isUpdateRouteEnabled", NONE)),
            // Hawtio's JMX tree with the operations' invoke rights, and its checks of those rights
            new Allowed("hawtio", Map.of("type", "security", "name", "RBACRegistry"), Map.of("list", ANY)),
            new Allowed("hawtio", Map.of("type", "security", "area", "jmx"), Map.of("canInvoke", ANY)),
            // the console's thread view: names, states and stacks, no data
            new Allowed("java.lang", Map.of("type", "Threading"), Map.of("dumpAllThreads", ANY)));

    /** Operation names allowed on some MBean, for a quick refusal of the rest. */
    private static final Set<String> NAMES = ALLOWED.stream()
            .flatMap(a -> a.operations().keySet().stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());

    private JolokiaAnalystOperations() {
    }

    /**
     * Whether an analyst may run this exec request.
     *
     * @param mbean     the request's MBean name as sent
     * @param operation the operation as sent: a name, optionally with its signature ({@code dumpAllThreads(boolean,
     *                  boolean)})
     * @param arguments how many arguments the request carries
     */
    static boolean allows(String mbean, String operation, int arguments) {
        if (mbean == null || operation == null) {
            return false;
        }
        // as the agent reads it: the name up to the signature's parenthesis, nothing trimmed
        int paren = operation.indexOf('(');
        String name = paren < 0 ? operation : operation.substring(0, paren);
        if (!NAMES.contains(name)) {
            return false;
        }
        ObjectName objectName;
        try {
            objectName = new ObjectName(mbean);
        } catch (MalformedObjectNameException e) {
            return false;
        }
        if (objectName.isPattern()) {
            return false;
        }
        for (Allowed allowed : ALLOWED) {
            IntPredicate counts = allowed.operations().get(name);
            int declared = signatureLength(operation);
            if (counts != null && allowed.matches(objectName) && counts.test(arguments)
                    && (declared < 0 || counts.test(declared))) {
                return true;
            }
        }
        return false;
    }

    /** The number of parameter types in an operation's signature ({@code name(types)}), -1 when it has none. */
    static int signatureLength(String operation) {
        int open = operation.indexOf('(');
        int close = operation.lastIndexOf(')');
        if (open < 0 || close < open) {
            return -1;
        }
        String types = operation.substring(open + 1, close).trim();
        return types.isEmpty() ? 0 : types.split(",").length;
    }
}
