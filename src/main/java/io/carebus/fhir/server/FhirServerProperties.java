package io.carebus.fhir.server;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code carebus.fhir.*}: the FHIR R4 server served at {@code /fhir}. */
@ConfigurationProperties("carebus.fhir")
public class FhirServerProperties {

    /**
     * The server's public base URL (links in bundles, Location headers, the SMART audience). Empty: taken from
     * each request.
     */
    private String baseUrl = "";
    private int defaultPageSize = 20;
    private int maxPageSize = 500;
    /** How long an identical search may be answered from the previous one's cached result list. */
    private long reuseCachedSearchResultsMs = 0;
    /** hibernate.hbm2ddl.auto for the FHIR tables (HFJ_*): {@code update} creates and extends them at start-up. */
    private String schemaUpdate = "update";
    /**
     * Answer REST searches with one read-only query and {@code _offset} paging instead of a saved search
     * ({@link SynchronousSearchInterceptor}).
     */
    private boolean synchronousSearch = true;

    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public int getDefaultPageSize() {
        return defaultPageSize;
    }

    public void setDefaultPageSize(int defaultPageSize) {
        this.defaultPageSize = defaultPageSize;
    }

    public int getMaxPageSize() {
        return maxPageSize;
    }

    public void setMaxPageSize(int maxPageSize) {
        this.maxPageSize = maxPageSize;
    }

    public long getReuseCachedSearchResultsMs() {
        return reuseCachedSearchResultsMs;
    }

    public void setReuseCachedSearchResultsMs(long reuseCachedSearchResultsMs) {
        this.reuseCachedSearchResultsMs = reuseCachedSearchResultsMs;
    }

    public boolean isSynchronousSearch() {
        return synchronousSearch;
    }

    public void setSynchronousSearch(boolean synchronousSearch) {
        this.synchronousSearch = synchronousSearch;
    }

    public String getSchemaUpdate() {
        return schemaUpdate;
    }

    public void setSchemaUpdate(String schemaUpdate) {
        this.schemaUpdate = schemaUpdate;
    }
}
