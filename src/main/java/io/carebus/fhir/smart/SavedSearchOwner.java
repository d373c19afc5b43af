package io.carebus.fhir.smart;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.entity.Search;
import ca.uhn.fhir.jpa.entity.SearchTypeEnum;
import ca.uhn.fhir.jpa.search.cache.ISearchCacheSvc;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.util.ICachedSearchDetails;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The pages of a saved search ({@code ?_getpages=<id>}, HAPI's next links for searches with {@code _include},
 * {@code $everything} and histories) are the searching caller's: the same client, user and patient in context,
 * with the permission the search needed on its type (s for a search or a type's history, r on Patient for
 * {@code $everything}), whoever else learns the link. The owner of each search a token starts is remembered here
 * (in memory, as long as HAPI keeps saved searches); such a search is never reused for another request's search,
 * which would hand its link to another caller. A page of a search whose owner is not known (made before a restart)
 * is refused: the caller runs the search again. Engine operators page any search.
 */
@Interceptor
public class SavedSearchOwner {

    /** HAPI keeps a saved search an hour after its last use by default (JpaStorageSettings); kept longer here. */
    private static final Duration KEPT = Duration.ofHours(2);
    /** Request attribute: the page asked for is one of a {@code Patient/$everything}'s. */
    private static final String EVERYTHING_PAGE = SavedSearchOwner.class.getName() + ".everythingPage";

    private final ISearchCacheSvc searches;
    private final Cache<String, String> owners = Caffeine.newBuilder().expireAfterAccess(KEPT)
            .maximumSize(100_000).build();

    public SavedSearchOwner(ISearchCacheSvc searches) {
        this.searches = searches;
    }

    @Hook(Pointcut.STORAGE_PRESEARCH_REGISTERED)
    public void remember(ICachedSearchDetails search, RequestDetails request) {
        Optional<SmartAccess> access = token(request);
        if (access.isPresent() && search.getUuid() != null) {   // a synchronous search has no id: no pages
            search.setCannotBeReused();
            owners.put(search.getUuid(), owner(access.get()));
        }
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void checkPage(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation != RestOperationTypeEnum.GET_PAGE) {
            return;
        }
        Optional<SmartAccess> access = token(request);
        if (access.isEmpty()) {
            return;   // engine operators; no access at all is denied by the authorization rules
        }
        String[] ids = request.getParameters().get(Constants.PARAM_PAGINGACTION);
        String id = ids == null || ids.length == 0 ? null : ids[0];
        if (id == null) {
            return;   // HAPI answers 400
        }
        Optional<Search> search = searches.fetchByUuid(id, RequestPartitionId.allPartitions());
        if (search.isEmpty()) {
            return;   // HAPI answers 410 Gone
        }
        if (!owner(access.get()).equals(owners.getIfPresent(id))) {
            throw new ForbiddenOperationException("This page belongs to a search made by another client, user or"
                    + " patient context, or before a restart: run the search again");
        }
        requirement(search.get()).filter(needed -> !needed.isMetBy(access.get())).ifPresent(needed -> {
            throw new ForbiddenOperationException("The granted SMART scopes do not allow " + needed.describe());
        });
        if (search.get().getSearchType() == SearchTypeEnum.EVERYTHING) {
            request.getUserData().put(EVERYTHING_PAGE, Boolean.TRUE);
        }
    }

    /** True for a page of a {@code Patient/$everything} asked with a token, once {@link #checkPage} let it through. */
    static boolean isEverythingPage(RequestDetails request) {
        return Boolean.TRUE.equals(request.getUserData().get(EVERYTHING_PAGE));
    }

    /** What the search's first page needed, as {@link SmartPermissionInterceptor} asked it. */
    private static Optional<ScopeRequirement> requirement(Search search) {
        String type = search.getResourceType();
        SearchTypeEnum kind = search.getSearchType();
        if (kind == SearchTypeEnum.EVERYTHING) {
            return ScopeRequirement.of(RestOperationTypeEnum.READ, "Patient", Map.of());
        }
        RestOperationTypeEnum operation;
        if (kind == SearchTypeEnum.HISTORY) {
            operation = type == null ? RestOperationTypeEnum.HISTORY_SYSTEM
                    : search.getResourceId() != null ? RestOperationTypeEnum.HISTORY_INSTANCE
                    : RestOperationTypeEnum.HISTORY_TYPE;
        } else {
            operation = type == null ? RestOperationTypeEnum.SEARCH_SYSTEM : RestOperationTypeEnum.SEARCH_TYPE;
        }
        return ScopeRequirement.of(operation, type, Map.of());
    }

    private static String owner(SmartAccess access) {
        return access.clientId() + "\n" + access.subject() + "\n" + access.patientId();
    }

    private static Optional<SmartAccess> token(RequestDetails request) {
        return request == null ? Optional.empty()
                : SmartAuthorizationInterceptor.access(request).filter(access -> !access.operator());
    }
}
