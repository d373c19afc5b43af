package io.carebus.security;

import java.util.List;
import java.util.Optional;

import io.carebus.journal.JournalRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of an engineer's JMX operations through Jolokia (Hawtio): browsing a queue shows message
 * content, and the admin API audits every view of content, so each operation beyond what analysts may run (those
 * only look) is written to the journal's audit table (action {@code jmx-exec}, or {@code jmx-write} for an
 * attribute change), before the agent runs it. Hawtio's own polling (statistics, the JMX tree) is not recorded.
 */
public class EngineerJmxAudit {

    static final String EXEC = "jmx-exec";
    static final String WRITE = "jmx-write";
    static final String UNREAD = "jmx-request";

    private static final Logger log = LoggerFactory.getLogger(EngineerJmxAudit.class);

    private final JournalRepository journal;

    public EngineerJmxAudit(JournalRepository journal) {
        this.journal = journal;
    }

    /**
     * Records the requests that are not an analyst's; a body the agent may still run but that is not read here
     * (other keys, such as {@code config}) is recorded as one {@code jmx-request}.
     *
     * @param getPath a GET's path after the agent's (its type, MBean and operation), null for a POST
     */
    void record(String user, Optional<List<JolokiaRequests.Request>> requests, String getPath) {
        if (requests.isEmpty()) {
            journal.audit(user, UNREAD, null, "a Jolokia request not read by the engine");
            return;
        }
        for (JolokiaRequests.Request r : requests.get()) {
            if (JolokiaRequests.analystMay(r)) {
                continue;
            }
            String action = "write".equals(r.type()) ? WRITE : "exec".equals(r.type()) ? EXEC : UNREAD;
            String detail = JolokiaAccessFilter.printable(getPath != null ? getPath : r.mbean() + " " + r.operation(),
                    500);
            journal.audit(user, action, null, detail);
            log.debug("JMX {} by {}: {}", action, user, detail);
        }
    }
}
