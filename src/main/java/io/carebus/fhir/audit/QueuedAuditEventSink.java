package io.carebus.fhir.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores AuditEvents in this server's own FHIR store, off the request thread: a request only puts its events on a
 * bounded in-memory queue (never waits, never fails because of audit); one worker stores them in batches, each
 * batch in one transaction. The events of one REST request are held until it ends ({@link AuditRequestScope}) so
 * that its write events are stored as one ({@link AuditEventMerger}). Events still
 * queued when the process is killed are lost (at most the queue, normally less than one batch); on a normal shutdown
 * the queue is drained first. A full queue drops new events, counted and logged.
 *
 * <p>AuditEvents are stored with a {@link SystemRequestDetails}, which the REST server's interceptors (among them
 * the audit capture) never see, so storing an AuditEvent is not itself audited.
 */
public class QueuedAuditEventSink implements IBalpAuditEventSink, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(QueuedAuditEventSink.class);
    /** A query on the AuditEvent type itself: "GET http://host/fhir/AuditEvent?..." */
    /** Identifier system of a resource an AuditEvent is about, as "Patient/123". */
    public static final String REFERENCE_SYSTEM = "urn:carebus:audit:reference";
    /** meta.tag system naming each patient an AuditEvent is about ("Patient/123"). */
    public static final String PATIENT_SYSTEM = "urn:carebus:audit:patient";
    private static final Pattern AUDIT_EVENT_QUERY = Pattern.compile(".*/AuditEvent([/?].*)?$");

    private final IFhirResourceDao<AuditEvent> dao;
    private final TransactionTemplate transaction;
    private final BlockingQueue<AuditEvent> queue;
    private final int batchSize;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    /** The events of the REST request running on this thread, between {@link #beginRequest()} and its end. */
    private final ThreadLocal<List<AuditEvent>> requestEvents = new ThreadLocal<>();
    private volatile boolean running;
    private Thread worker;

    public QueuedAuditEventSink(IFhirResourceDao<AuditEvent> dao, TransactionTemplate transaction, int capacity,
            int batchSize) {
        this.dao = dao;
        this.transaction = transaction;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batchSize = batchSize;
    }

    @Override
    public void recordAuditEvent(AuditEvent event) {
        try {
            if (isAboutAuditEvents(event)) {
                return;
            }
            tagAgents(event);
            List<AuditEvent> pending = requestEvents.get();
            if (pending != null) {
                pending.add(event);
            } else {
                enqueue(event);
            }
        } catch (RuntimeException e) {
            log.warn("AuditEvent not recorded: {}", e.toString());
        }
    }

    /** A REST request starts on this thread: its events are held until {@link #endRequest()}. */
    public void beginRequest() {
        endRequest();   // one left by a request whose end was never signalled
        requestEvents.set(new ArrayList<>());
    }

    /** The request on this thread is done: its events, its write events merged, go to the queue. */
    public void endRequest() {
        List<AuditEvent> pending = requestEvents.get();
        if (pending == null) {
            return;
        }
        requestEvents.remove();
        try {
            for (AuditEvent event : AuditEventMerger.merge(pending)) {
                enqueue(event);
            }
        } catch (RuntimeException e) {
            log.warn("AuditEvents not recorded: {}", e.toString());
        }
    }

    private void enqueue(AuditEvent event) {
        if (!queue.offer(event)) {
            long count = dropped.incrementAndGet();
            if (count == 1 || count % 1000 == 0) {
                log.warn("Audit queue full ({} events): {} AuditEvents dropped so far", queue.size(), count);
            }
        }
    }

    /** Reading the audit trail is not itself audited (and cannot feed on itself). */
    static boolean isAboutAuditEvents(AuditEvent event) {
        for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
            if ("AuditEvent".equals(entity.getWhat().getReferenceElement().getResourceType())) {
                return true;
            }
            if (entity.hasDescription() && AUDIT_EVENT_QUERY.matcher(entity.getDescription()).matches()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The user's name, the client id and the patients also as tags, so the audit API finds them exactly
     * ({@code _tag}) whether or not a patient reference could be kept as a reference.
     */
    private static void tagAgents(AuditEvent event) {
        for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
            if ("1".equals(entity.getRole().getCode())
                    && "Patient".equals(entity.getWhat().getReferenceElement().getResourceType())) {
                event.getMeta().addTag(PATIENT_SYSTEM,
                        entity.getWhat().getReferenceElement().toUnqualifiedVersionless().getValue(), null);
            }
        }
        for (AuditEvent.AuditEventAgentComponent agent : event.getAgent()) {
            Reference who = agent.getWho();
            String system = who.getIdentifier().getSystem();
            String value = who.getIdentifier().getValue();
            if (value != null && (AuditIdentities.USER_SYSTEM.equals(system)
                    || AuditIdentities.CLIENT_SYSTEM.equals(system))) {
                if (AuditIdentities.USER_SYSTEM.equals(system)) {
                    agent.setName(value);
                }
                event.getMeta().addTag(system, value, null);
            }
        }
    }

    /** AuditEvents accepted and not stored yet. */
    public int pending() {
        return queue.size();
    }

    public long dropped() {
        return dropped.get();
    }

    public long failed() {
        return failed.get();
    }

    private void drain() {
        while (running || !queue.isEmpty()) {
            try {
                AuditEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<AuditEvent> batch = new ArrayList<>(batchSize);
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                store(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void store(List<AuditEvent> batch) {
        try {
            transaction.executeWithoutResult(status -> batch.forEach(
                    event -> dao.create(withLogicalReferences(event), new SystemRequestDetails())));
        } catch (RuntimeException batchFailure) {
            // one bad event must not lose the others
            for (AuditEvent event : batch) {
                try {
                    dao.create(withLogicalReferences(event), new SystemRequestDetails());
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                    log.warn("AuditEvent not stored: {}", e.toString());
                }
            }
        }
    }

    /**
     * The resources an AuditEvent is about, kept as logical references ({@code what.type} and
     * {@code what.identifier} = "Patient/123") rather than literal ones: the store enforces referential integrity,
     * so a literal reference would stop the patient from ever being deleted, and could not be stored at all for a
     * deleted or unknown resource (the audit of a delete, of a 404). The patient stays findable by its tag.
     */
    static AuditEvent withLogicalReferences(AuditEvent event) {
        AuditEvent copy = event.copy();
        for (AuditEvent.AuditEventEntityComponent entity : copy.getEntity()) {
            Reference what = entity.getWhat();
            if (what.hasReference()) {
                String reference = what.getReference();
                what.setReference(null);
                what.setType(new org.hl7.fhir.r4.model.IdType(reference).getResourceType());
                what.getIdentifier().setSystem(REFERENCE_SYSTEM).setValue(reference);
                what.setDisplay(reference);
            }
        }
        return copy;
    }

    @Override
    public void start() {
        running = true;
        worker = new Thread(this::drain, "carebus-audit-writer");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void stop() {
        running = false;
        if (worker != null) {
            try {
                worker.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!queue.isEmpty()) {
            log.warn("{} AuditEvents not stored at shutdown", queue.size());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stop before the FHIR store and the database (higher phases stop first). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }
}
