package io.carebus.fhir.subscription;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Keeps out of subscription matching the changes no subscription can match. HAPI otherwise records every change
 * in HFJ_RESOURCE_MODIFIED within the write's transaction, and later reads the resource back to match it: with no
 * subscription at all, that was a third of the CPU of a FHIR ingest, and for the AuditEvent written on every access
 * a quarter of the CPU of a read load.
 * <ul>
 *   <li>Never matched: {@code carebus.fhir.subscriptions.unmatched-resource-types} (the server's own AuditEvents,
 *   Bulk Data output files).</li>
 *   <li>Matched: the resource types named by the criteria of the stored Subscriptions that are requested, active or
 *   in error, read from the database at start-up and every {@link #REFRESH_SECONDS} seconds; a Subscription being
 *   written adds its type at once (removals wait for the next read). A topic-based or multi-type subscription, or
 *   criteria that cannot be read, makes every type matched. Subscriptions themselves, and the Basic resources that
 *   hold topics, always are.</li>
 *   <li>Until the first read of the stored Subscriptions (just after a restart), every change is matched.</li>
 * </ul>
 */
@Interceptor
public class UnmatchedResourceTypes {

    static final int REFRESH_SECONDS = 5;
    private static final Logger log = LoggerFactory.getLogger(UnmatchedResourceTypes.class);
    private static final Set<String> ALWAYS = Set.of("Subscription", "Basic", "SubscriptionTopic");
    /** "Observation" or "Observation?code=...": one resource type. */
    private static final Pattern ONE_TYPE = Pattern.compile("^([A-Z][A-Za-z]+)(\\?.*)?$");

    /** What the stored Subscriptions can match: every type, or these. */
    record Subscribed(boolean everyType, Set<String> types) {
        static final Subscribed UNKNOWN = new Subscribed(true, Set.of());

        boolean matches(String type) {
            return everyType || types.contains(type);
        }
    }

    private final FhirContext fhirContext;
    private final DaoRegistry daoRegistry;
    private final Set<String> neverMatched;
    private volatile Subscribed subscribed = Subscribed.UNKNOWN;
    /**
     * Criteria of Subscriptions written lately, by when: a read of the database may run before such a write commits,
     * so they are kept in what is matched for two refresh periods whatever that read says.
     */
    private final Map<String, Long> recentCriteria = new HashMap<>();
    private ScheduledExecutorService refresher;

    public UnmatchedResourceTypes(FhirContext fhirContext, DaoRegistry daoRegistry, Set<String> neverMatched) {
        this.fhirContext = fhirContext;
        this.daoRegistry = daoRegistry;
        this.neverMatched = Set.copyOf(neverMatched);
    }

    /** Returning false stops HAPI from submitting the change for matching. */
    @Hook(Pointcut.SUBSCRIPTION_RESOURCE_MODIFIED)
    public boolean submitForMatching(ResourceModifiedMessage message) {
        String type = message.getResourceType(fhirContext);
        if (neverMatched.contains(type)) {
            return false;
        }
        return ALWAYS.contains(type) || subscribed.matches(type);
    }

    /** A Subscription being written: its type is matched from now on, before the next read of the database. */
    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void subscriptionCreated(IBaseResource resource) {
        widen(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void subscriptionUpdated(IBaseResource previous, IBaseResource resource) {
        widen(resource);
    }

    private synchronized void widen(IBaseResource resource) {
        if (resource instanceof Subscription subscription) {
            recentCriteria.put(String.valueOf(subscription.getCriteria()), System.nanoTime());
            Subscribed now = subscribed;
            if (now.everyType()) {
                return;
            }
            Set<String> types = new HashSet<>(now.types());
            subscribed = add(subscription.getCriteria(), types) ? new Subscribed(false, Set.copyOf(types))
                    : new Subscribed(true, Set.of());
        }
    }

    /** Adds the criteria's type; false when the criteria can match more than one type (or is not understood). */
    static boolean add(String criteria, Set<String> types) {
        Matcher m = ONE_TYPE.matcher(criteria == null ? "" : criteria.trim());
        if (!m.matches()) {
            return false;
        }
        types.add(m.group(1));
        return true;
    }

    /** What the given Subscriptions can match. */
    static Subscribed of(List<String> criteria) {
        Set<String> types = new HashSet<>();
        for (String c : criteria) {
            if (!add(c, types)) {
                return new Subscribed(true, Set.of());
            }
        }
        return new Subscribed(false, Set.copyOf(types));
    }

    /** Reads the stored Subscriptions that can be matched. */
    public synchronized void refresh() {
        SearchParameterMap search = SearchParameterMap.newSynchronous();
        search.add(Subscription.SP_STATUS, new TokenOrListParam().add("requested").add("active").add("error"));
        List<String> criteria = new ArrayList<>(daoRegistry.getResourceDao(Subscription.class)
                .searchForResources(search, new SystemRequestDetails()).stream()
                .map(r -> ((Subscription) r).getCriteria()).toList());
        long keepSince = System.nanoTime() - TimeUnit.SECONDS.toNanos(2L * REFRESH_SECONDS);
        recentCriteria.values().removeIf(at -> at < keepSince);
        criteria.addAll(recentCriteria.keySet());
        Subscribed read = of(criteria);
        if (!read.equals(subscribed)) {
            log.info("Subscription matching: {}", read.everyType() ? "every resource type" : "types " + read.types());
        }
        subscribed = read;
    }

    Subscribed subscribed() {
        return subscribed;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "carebus-subscribed-types");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(() -> {
            try {
                refresh();
            } catch (RuntimeException e) {
                // keep what was known; a failed read never narrows matching
                log.warn("Stored subscriptions not read: {}", e.toString());
            }
        }, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    public void stop() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }
}
