package io.carebus.fhir.smart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the v2 query-narrowed scopes of a token let a search of one type find (SMART App Launch 2.0 §Finer-grained
 * resource constraints using search parameters): the union, over the scopes granting s on the type, of the
 * resources matching the scope's query (and, for a patient/ scope, in the patient's compartment).
 * <ul>
 *   <li>{@link Kind#NONE}: a scope granting s without a query, nothing to add;</li>
 *   <li>{@link Kind#PARAMETERS}: one set of search parameters says it all ({@link #parameters()}: added to the
 *       search, AND with the caller's), so results, paging and counts cover the allowed resources only;</li>
 *   <li>{@link Kind#UNCOMBINABLE}: several scopes narrowed by different parameters (or one patient/ and one user/):
 *       no single search says "this or that", so results are filtered resource by resource ({@link #allows}) and
 *       counts, which would cover the others, are refused.</li>
 * </ul>
 */
final class ScopeQueryNarrowing {

    enum Kind { NONE, PARAMETERS, UNCOMBINABLE }

    /** One scope's reach: in the compartment of {@code patientId} (null: any), matching {@code query}. */
    record Term(String patientId, Map<String, List<String>> query) {
    }

    private static final ScopeQueryNarrowing NONE = new ScopeQueryNarrowing(Kind.NONE, Map.of(), List.of());

    private final Kind kind;
    private final Map<String, List<String>> parameters;
    private final List<Term> terms;

    private ScopeQueryNarrowing(Kind kind, Map<String, List<String>> parameters, List<Term> terms) {
        this.kind = kind;
        this.parameters = parameters;
        this.terms = terms;
    }

    /**
     * For a search of {@code type}: narrowed to the patient's compartment when no user/ or system/ scope grants s on
     * it (as {@link SmartSearchNarrowingInterceptor} does), so only patient/ scopes count then.
     */
    static ScopeQueryNarrowing of(SmartAccess access, String type) {
        if (access.operator() || type == null) {
            return NONE;
        }
        boolean patientOnly = !access.permitsAnyInstance(type, Permission.SEARCH);
        List<Term> terms = new ArrayList<>();
        for (SmartScope scope : access.scopes().resourceScopes()) {
            if (!scope.appliesTo(type) || !scope.permissions().contains(Permission.SEARCH)) {
                continue;
            }
            if (scope.context() == ScopeContext.PATIENT) {
                if (access.hasPatient()) {
                    terms.add(new Term(access.patientId(), scope.query()));
                }
            } else if (!patientOnly) {
                terms.add(new Term(null, scope.query()));
            }
        }
        if (terms.isEmpty()) {
            return NONE;   // no s at all: SmartPermissionInterceptor refuses
        }
        // a scope without a query reaches all its context reaches: the patient's compartment, which HAPI's search
        // narrowing adds, or everything
        if (terms.stream().anyMatch(t -> t.query().isEmpty() && (t.patientId() == null || patientOnly))) {
            return NONE;
        }
        // a patient/ term is within a user/ or system/ term with the same query
        List<Term> kept = new ArrayList<>();
        for (Term t : terms) {
            boolean subsumed = t.patientId() != null
                    && terms.stream().anyMatch(o -> o.patientId() == null && o.query().equals(t.query()));
            if (!subsumed && !kept.contains(t)) {
                kept.add(t);
            }
        }
        boolean sameContext = kept.stream().allMatch(t -> t.patientId() == null)
                || kept.stream().allMatch(t -> t.patientId() != null);
        Map<String, List<String>> combined = sameContext ? combine(kept) : null;
        return combined == null ? new ScopeQueryNarrowing(Kind.UNCOMBINABLE, Map.of(), List.copyOf(kept))
                : new ScopeQueryNarrowing(Kind.PARAMETERS, combined, List.copyOf(kept));
    }

    /**
     * The one set of parameters that finds what any of the queries finds: the query itself when they are all the
     * same, {@code name=a,b} when each is one parameter with one value (FHIR R4 search §Composite: a comma is OR);
     * null otherwise.
     */
    private static Map<String, List<String>> combine(List<Term> terms) {
        Map<String, List<String>> first = terms.get(0).query();
        if (terms.stream().allMatch(t -> t.query().equals(first))) {
            return first;
        }
        String name = null;
        List<String> values = new ArrayList<>();
        for (Term t : terms) {
            if (t.query().size() != 1) {
                return null;
            }
            Map.Entry<String, List<String>> only = t.query().entrySet().iterator().next();
            if (only.getValue().size() != 1 || (name != null && !name.equals(only.getKey()))) {
                return null;
            }
            name = only.getKey();
            values.add(only.getValue().get(0));
        }
        Map<String, List<String>> or = new LinkedHashMap<>();
        or.put(name, List.of(String.join(",", values)));
        return or;
    }

    Kind kind() {
        return kind;
    }

    /** For {@link Kind#PARAMETERS}: each value is one more occurrence of the parameter (AND). */
    Map<String, List<String>> parameters() {
        return parameters;
    }

    List<Term> terms() {
        return terms;
    }

    /** The query of a term as a search URL's query string ({@code category=laboratory}). */
    static String queryString(Map<String, List<String>> query) {
        StringBuilder s = new StringBuilder();
        query.forEach((name, values) -> values.forEach(value -> {
            if (s.length() > 0) {
                s.append('&');
            }
            s.append(name).append('=').append(java.net.URLEncoder.encode(value,
                    java.nio.charset.StandardCharsets.UTF_8));
        }));
        return s.toString();
    }
}
