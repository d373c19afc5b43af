package io.carebus.fhir.server;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;

/**
 * Answers REST type searches ({@code GET /fhir/Observation?patient=...}) with one read-only query, as HAPI does for
 * {@code Cache-Control: no-store}, instead of first saving the search and its result list (HFJ_SEARCH,
 * HFJ_SEARCH_RESULT) in a committed transaction. The database fetches one page ({@code _count}, else the server's
 * default page size) past {@code _offset}; further pages are {@code _offset} links, each run again (FHIR R4 search
 * paging: the server chooses how links page, http://hl7.org/fhir/R4/http.html#paging). The trade-off: a page read
 * after writes sees the data as it is then, not a snapshot of the first page's moment. Searches with
 * {@code _include}/{@code _revinclude}, {@code $everything} and {@code $lastn} keep HAPI's saved-search paging.
 */
@Interceptor
public class SynchronousSearchInterceptor {

    private final int defaultPageSize;

    public SynchronousSearchInterceptor(int defaultPageSize) {
        this.defaultPageSize = defaultPageSize;
    }

    @Hook(Pointcut.STORAGE_PRESEARCH_REGISTERED)
    public void loadSynchronously(SearchParameterMap params, RequestDetails request) {
        if (request == null || request.getRestOperationType() != RestOperationTypeEnum.SEARCH_TYPE
                || params.getEverythingMode() != null || params.isLastN()
                // a synchronous answer is paged as one list, so included resources would push matches off the page
                || !params.getIncludes().isEmpty() || !params.getRevIncludes().isEmpty()) {
            return;
        }
        if (params.getCount() == null) {
            params.setCount(defaultPageSize);
        }
        // HAPI's _offset search: synchronous, and its answer carries the offset and page size the next/previous
        // links are built from (without them a synchronous answer has no next link)
        if (params.getOffset() == null) {
            params.setOffset(0);
        }
        params.setLoadSynchronous(true);
    }
}
