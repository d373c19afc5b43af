package io.carebus.fhir.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code carebus.fhir.audit.*}: an AuditEvent for every access to patient data through {@code /fhir}. */
@ConfigurationProperties("carebus.fhir.audit")
public class AuditProperties {

    /** Record AuditEvents (IHE Basic Audit Log Patterns) for reads, searches, writes and failed requests. */
    private boolean enabled = true;
    /** AuditEvents waiting to be stored; when full, new ones are dropped (counted, logged) and requests go on. */
    private int queueCapacity = 10_000;
    /** AuditEvents stored per database transaction. */
    private int batchSize = 100;
    /** Largest page {@code GET /api/audit/events} returns. */
    private int maxResults = 500;

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
