package io.carebus.fhir.smart;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A set of scopes as sent in a {@code scope} parameter or claim: SMART resource scopes plus the others
 * ({@code launch/patient}, {@code offline_access}, {@code online_access}, ...). Immutable.
 */
public final class SmartScopes {

    public static final String LAUNCH_PATIENT = "launch/patient";
    public static final String OFFLINE_ACCESS = "offline_access";
    public static final String ONLINE_ACCESS = "online_access";

    private static final SmartScopes EMPTY = new SmartScopes(List.of());

    private final Set<String> all;
    private final List<SmartScope> resourceScopes;

    private SmartScopes(Collection<String> scopes) {
        Set<String> all = new LinkedHashSet<>();
        List<SmartScope> resource = new ArrayList<>();
        for (String s : scopes) {
            if (s.isBlank() || !all.add(s)) {
                continue;
            }
            SmartScope.parse(s).ifPresent(resource::add);
        }
        this.all = Collections.unmodifiableSet(all);
        this.resourceScopes = List.copyOf(resource);
    }

    /** Parses a space-separated scope string (RFC 6749 §3.3); null or blank gives no scopes. */
    public static SmartScopes parse(String scope) {
        if (scope == null || scope.isBlank()) {
            return EMPTY;
        }
        return new SmartScopes(List.of(scope.trim().split("\\s+")));
    }

    public static SmartScopes of(Collection<String> scopes) {
        return new SmartScopes(scopes);
    }

    public Set<String> all() { return all; }
    public List<SmartScope> resourceScopes() { return resourceScopes; }
    public boolean isEmpty() { return all.isEmpty(); }

    public boolean contains(String scope) {
        return all.contains(scope);
    }

    /** Scope texts that look like resource scopes but do not parse (e.g. {@code patient/Observation.sr}). */
    public List<String> malformed() {
        List<String> bad = new ArrayList<>();
        for (String s : all) {
            if ((s.startsWith("patient/") || s.startsWith("user/") || s.startsWith("system/"))
                    && SmartScope.parse(s).isEmpty()) {
                bad.add(s);
            }
        }
        return bad;
    }

    /** True if some scope lets {@code permission} on {@code type} in {@code context} (query narrowing ignored). */
    public boolean permits(ScopeContext context, String type, Permission permission) {
        for (SmartScope s : resourceScopes) {
            if (s.permits(context, type, permission)) {
                return true;
            }
        }
        return false;
    }

    /** True if some scope without query narrowing lets {@code permission} on any {@code type} in {@code context}. */
    public boolean permitsWhole(ScopeContext context, String type, Permission permission) {
        for (SmartScope s : resourceScopes) {
            if (s.query().isEmpty() && s.permits(context, type, permission)) {
                return true;
            }
        }
        return false;
    }

    /** True if some scope in any context lets {@code permission} on {@code type}. */
    public boolean permitsInAnyContext(String type, Permission permission) {
        for (ScopeContext c : ScopeContext.values()) {
            if (permits(c, type, permission)) {
                return true;
            }
        }
        return false;
    }

    public boolean hasContext(ScopeContext context) {
        return resourceScopes.stream().anyMatch(s -> s.context() == context);
    }

    /** True if {@code requested} is granted by these (registered) scopes: same text, or covered by a resource scope. */
    public boolean allows(String requested) {
        if (all.contains(requested)) {
            return true;
        }
        Optional<SmartScope> scope = SmartScope.parse(requested);
        return scope.isPresent() && resourceScopes.stream().anyMatch(s -> s.covers(scope.get()));
    }

    /** The scopes of {@code this} that {@code predicate} keeps. */
    public SmartScopes filter(java.util.function.Predicate<String> predicate) {
        return new SmartScopes(all.stream().filter(predicate).toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmartScopes s && all.equals(s.all);
    }

    @Override
    public int hashCode() {
        return all.hashCode();
    }

    /** Space separated, in request order. */
    @Override
    public String toString() {
        return String.join(" ", all);
    }
}
