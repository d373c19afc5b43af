package io.carebus.fhir.smart;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMART resource scope, v1 ({@code patient/Observation.read}) or v2 ({@code patient/Observation.rs},
 * {@code patient/Observation.rs?category=laboratory}): a context, a resource type or {@code *}, the permissions,
 * and the query parameters a v2 scope may narrow it with. Immutable.
 */
public final class SmartScope {

    public static final String ANY_TYPE = "*";

    // SMART App Launch 2.x §Scopes: ( 'patient' | 'user' | 'system' ) '/' ( fhir-resource | '*' ) '.' ( 'read' |
    // 'write' | '*' | [c][r][u][d][s] ) [ '?' param=value ( '&' param=value )* ]
    private static final Pattern SYNTAX =
            Pattern.compile("(patient|user|system)/([A-Z][A-Za-z]*|\\*)\\.([a-z*]+)(?:\\?(.+))?");
    private static final String V2_ORDER = "cruds";

    private final ScopeContext context;
    private final String resourceType;
    private final Set<Permission> permissions;
    private final Map<String, List<String>> query;
    private final boolean v1;
    private final String text;

    private SmartScope(ScopeContext context, String resourceType, Set<Permission> permissions,
                       Map<String, List<String>> query, boolean v1, String text) {
        this.context = context;
        this.resourceType = resourceType;
        this.permissions = Collections.unmodifiableSet(EnumSet.copyOf(permissions));
        this.query = Collections.unmodifiableMap(query);
        this.v1 = v1;
        this.text = text;
    }

    /** The scope, or empty when the text is not a SMART resource scope (e.g. {@code launch/patient}). */
    public static Optional<SmartScope> parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        boolean v1;
        switch (m.group(3)) {
            // SMART v1: read = read + search, write = create + update + delete, * = both
            case "read" -> { permissions.addAll(EnumSet.of(Permission.READ, Permission.SEARCH)); v1 = true; }
            case "write" -> { permissions.addAll(EnumSet.of(Permission.CREATE, Permission.UPDATE, Permission.DELETE)); v1 = true; }
            case "*" -> { permissions.addAll(EnumSet.allOf(Permission.class)); v1 = true; }
            default -> {
                // v2: letters in the order c r u d s, each at most once
                int last = -1;
                for (char c : m.group(3).toCharArray()) {
                    int at = V2_ORDER.indexOf(c);
                    if (at <= last) {
                        return Optional.empty();
                    }
                    last = at;
                    permissions.add(Permission.of(c));
                }
                v1 = false;
            }
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (m.group(4) != null) {
            if (v1) {
                return Optional.empty();   // query narrowing exists only in v2
            }
            for (String pair : m.group(4).split("&")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    return Optional.empty();
                }
                query.computeIfAbsent(decode(pair.substring(0, eq)), k -> new ArrayList<>())
                        .add(decode(pair.substring(eq + 1)));
            }
            query.replaceAll((k, v) -> List.copyOf(v));
        }
        return Optional.of(new SmartScope(ScopeContext.of(m.group(1)), m.group(2), permissions, query, v1, text));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    public ScopeContext context() { return context; }
    public String resourceType() { return resourceType; }
    public Set<Permission> permissions() { return permissions; }
    /** v2 query narrowing ({@code ?category=laboratory}); empty when the scope is not narrowed. */
    public Map<String, List<String>> query() { return query; }
    public boolean isV1() { return v1; }
    public boolean isAnyType() { return ANY_TYPE.equals(resourceType); }

    public boolean appliesTo(String type) {
        return isAnyType() || resourceType.equals(type);
    }

    /** True if this scope lets {@code permission} on {@code type} in {@code context}, ignoring query narrowing. */
    public boolean permits(ScopeContext context, String type, Permission permission) {
        return this.context == context && appliesTo(type) && permissions.contains(permission);
    }

    /** True if everything {@code other} grants is granted by this scope (used to check requests against registrations). */
    public boolean covers(SmartScope other) {
        return context == other.context
                && (isAnyType() || resourceType.equals(other.resourceType))
                && permissions.containsAll(other.permissions)
                && (query.isEmpty() || query.equals(other.query));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmartScope s && text.equals(s.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
