package io.carebus.fhir.smart;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.searchparam.matcher.SearchParamMatcher;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Searches by a token with v2 query-narrowed scopes ({@code patient/Observation.rs?category=laboratory}) find what
 * the scopes allow, and only that (SMART App Launch 2.0 §Finer-grained resource constraints using search
 * parameters): the scope's query is added to the search, so its results, pages and {@code _summary=count} cover
 * the allowed resources only, and no resource outside the scope turns the search into a refusal that tells it
 * exists. Where one type has several narrowed scopes no single search can say ({@link ScopeQueryNarrowing}), the
 * results are filtered resource by resource and counts ({@code _summary=count}, {@code _total}) refused.
 * The resources shown are still checked by {@link SmartAuthorizationInterceptor}'s rules.
 */
@Interceptor
public class ScopeQuerySearchNarrowing {

    /** Request attribute: the type whose search the database already narrowed to the scopes' query. */
    private static final String NARROWED = ScopeQuerySearchNarrowing.class.getName() + ".narrowed";

    private final SearchParamMatcher matcher;

    public ScopeQuerySearchNarrowing(SearchParamMatcher matcher) {
        this.matcher = matcher;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean narrow(RequestDetails request) {
        if (request.getRestOperationType() != RestOperationTypeEnum.SEARCH_TYPE) {
            return true;
        }
        Optional<SmartAccess> access = SmartAuthorizationInterceptor.access(request);
        if (access.isEmpty()) {
            return true;
        }
        String type = request.getResourceName();
        ScopeQueryNarrowing narrowing = ScopeQueryNarrowing.of(access.get(), type);
        switch (narrowing.kind()) {
            case PARAMETERS -> {
                Map<String, String[]> parameters = new LinkedHashMap<>(request.getParameters());
                narrowing.parameters().forEach((name, values) -> {
                    List<String> all = new ArrayList<>(Arrays.asList(parameters.getOrDefault(name, new String[0])));
                    // one more occurrence each: AND with what the caller asked (a value asked already is met)
                    values.stream().filter(v -> !all.contains(v)).forEach(all::add);
                    parameters.put(name, all.toArray(String[]::new));
                });
                request.setParameters(parameters);
                request.getUserData().put(NARROWED, type);
            }
            case UNCOMBINABLE -> {
                if (asksForCount(request.getParameters())) {
                    throw new ForbiddenOperationException("The granted SMART scopes narrow " + type
                            + " by search parameters that cannot be combined into one search: _summary=count and"
                            + " _total are not available; search without them");
                }
            }
            default -> { }
        }
        return true;
    }

    /**
     * Leaves out of a search's (or a page's, or a Bundle entry's) resources those of a type the scopes narrow
     * by query that match none of its scopes. Before the authorization rules (order 0), which refuse the whole
     * answer for one such resource.
     */
    @Hook(value = Pointcut.STORAGE_PRESHOW_RESOURCES, order = -100)
    public void filter(IPreResourceShowDetails details, RequestDetails request) {
        if (request == null) {
            return;
        }
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation != RestOperationTypeEnum.SEARCH_TYPE && operation != RestOperationTypeEnum.SEARCH_SYSTEM
                && operation != RestOperationTypeEnum.GET_PAGE) {
            return;
        }
        Optional<SmartAccess> access = SmartAuthorizationInterceptor.access(request);
        if (access.isEmpty() || access.get().operator()) {
            return;
        }
        Map<String, ScopeQueryNarrowing> byType = new LinkedHashMap<>();
        for (int i = 0; i < details.size(); i++) {
            IBaseResource resource = details.getResource(i);
            if (resource == null) {
                continue;
            }
            String type = request.getFhirContext().getResourceType(resource);
            ScopeQueryNarrowing narrowing = byType.computeIfAbsent(type, t -> ScopeQueryNarrowing.of(access.get(), t));
            boolean searchedNarrowed = type.equals(request.getUserData().get(NARROWED));
            if (narrowing.kind() != ScopeQueryNarrowing.Kind.NONE && !searchedNarrowed
                    && !allows(narrowing, type, resource, request)) {
                details.setResource(i, null);
            }
        }
    }

    private boolean allows(ScopeQueryNarrowing narrowing, String type, IBaseResource resource, RequestDetails request) {
        for (ScopeQueryNarrowing.Term term : narrowing.terms()) {
            if (term.patientId() != null
                    && !PatientCompartment.contains(request.getFhirContext(), resource, term.patientId())) {
                continue;
            }
            if (term.query().isEmpty() || matcher.match(type + "?" + ScopeQueryNarrowing.queryString(term.query()), resource, request)
                    .matched()) {
                return true;
            }
        }
        return false;
    }

    private static boolean asksForCount(Map<String, String[]> parameters) {
        String[] summary = parameters.get("_summary");
        String[] total = parameters.get("_total");
        return (summary != null && Arrays.asList(summary).contains("count"))
                || (total != null && Arrays.stream(total).anyMatch(t -> !"none".equals(t)));
    }
}
