package io.carebus.fhir.bulk;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code carebus.fhir.bulk.*}: FHIR Bulk Data $export (Bulk Data Access IG 2.0) on the FHIR server. */
@ConfigurationProperties("carebus.fhir.bulk")
public class BulkExportProperties {

    /** Serve $export (system, Patient, Group level) and $export-poll-status. */
    private boolean enabled = true;
    /** How long the NDJSON output files (Binary resources) are kept after the job ends. */
    private int fileRetentionHours = 2;
    /** Resources per NDJSON output file. */
    private int maxResourcesPerFile = 1000;
    /** The Retry-After (seconds) a poll of a running export is answered with. */
    private int retryAfterSeconds = 10;
    /** How often the batch job maintenance pass runs: it moves an export from one step to the next. */
    private long maintenanceIntervalMs = 10_000;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getFileRetentionHours() {
        return fileRetentionHours;
    }

    public void setFileRetentionHours(int fileRetentionHours) {
        this.fileRetentionHours = fileRetentionHours;
    }

    public int getMaxResourcesPerFile() {
        return maxResourcesPerFile;
    }

    public void setMaxResourcesPerFile(int maxResourcesPerFile) {
        this.maxResourcesPerFile = maxResourcesPerFile;
    }

    public int getRetryAfterSeconds() {
        return retryAfterSeconds;
    }

    public void setRetryAfterSeconds(int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long getMaintenanceIntervalMs() {
        return maintenanceIntervalMs;
    }

    public void setMaintenanceIntervalMs(long maintenanceIntervalMs) {
        this.maintenanceIntervalMs = maintenanceIntervalMs;
    }
}
