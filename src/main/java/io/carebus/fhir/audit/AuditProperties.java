package io.carebus.fhir.audit;

import java.util.Set;
import java.util.TreeSet;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code carebus.fhir.audit.*}: an AuditEvent for every access to patient data through {@code /fhir}. */
@ConfigurationProperties("carebus.fhir.audit")
public class AuditProperties {

    /** Record AuditEvents (IHE Basic Audit Log Patterns) for reads, searches, writes and failed requests. */
    private boolean enabled = true;
    /** AuditEvents waiting to be stored; when full, new ones are dropped (counted, logged) and requests go on. */
    private int queueCapacity = 10_000;
    /** AuditEvents stored per database transaction. */
    private int batchSize = 10;
    /** Largest page {@code GET /api/audit/events} returns. */
    private int maxResults = 500;
    /**
     * AuditEvent's standard search parameters kept indexed: what the audit API asks by (patient, user and client are
     * tags) plus date, action and outcome. The others are retired at start-up, so storing the AuditEvent written on
     * every access does not fill a dozen index tables no one queries.
     */
    private Set<String> indexedSearchParameters = new TreeSet<>(Set.of("date", "action", "outcome"));

    public Set<String> getIndexedSearchParameters() {
        return indexedSearchParameters;
    }

    public void setIndexedSearchParameters(Set<String> indexedSearchParameters) {
        this.indexedSearchParameters = indexedSearchParameters;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getQueueCapacity() {
        return queueCapacity;
    }

    public void setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public int getMaxResults() {
        return maxResults;
    }

    public void setMaxResults(int maxResults) {
        this.maxResults = maxResults;
    }
}
