package io.carebus.fhir.smart;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderAppliesTo;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOpClassifier;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleTester;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * HAPI's AuthorizationInterceptor with rules from the caller's SMART scopes ({@link SmartAccess}), deny by default:
 * <ul>
 *   <li>{@code patient/} scopes: the resource types they name, in the Patient compartment of the token's patient
 *       (read for r/s, write for c/u, delete for d);</li>
 *   <li>{@code user/} and {@code system/} scopes: the resource types they name, any instance;</li>
 *   <li>{@code $export}: only a backend token with {@code system/} read scopes (SMART Bulk Data: system, Patient and
 *       Group level), for the types those scopes name; the job and its files are that client's
 *       ({@link BulkExportOwner}); anyone else's kick-off, poll or cancel is denied;</li>
 *   <li>transactions and batches: each entry is checked against the same rules; an entry's search answer holding no
 *       resource (a count, nothing found) is allowed;</li>
 *   <li>{@code Patient/$everything}: for a caller who may read that patient, the response checked against the rules
 *       (what they do not allow is left out by {@link ResultsOutsideScopesFilter}, as are the includes of a
 *       search);</li>
 *   <li>an engine operator (ENGINEER): {@code user/*.cruds} and every operation but bulk export;</li>
 *   <li>the capability statement: anyone.</li>
 * </ul>
 * HAPI's rules do not tell read from search, create from update, nor which scope context a permission comes from:
 * {@link SmartPermissionInterceptor} and {@link SmartSearchNarrowingInterceptor} do; Subscriptions are checked against
 * what they deliver by {@link SubscriptionReadScopeCheck}.
 */
public class SmartAuthorizationInterceptor extends AuthorizationInterceptor {

    public SmartAuthorizationInterceptor() {
        super(PolicyEnum.DENY);
    }

    @Override
    public List<IAuthRule> buildRuleList(RequestDetails request) {
        RuleBuilder rules = new RuleBuilder();
        rules.allow("capability statement").metadata();
        Optional<SmartAccess> access = access(request);
        if (access.isEmpty()) {
            return rules.denyAll("no SMART access").build();
        }
        SmartAccess a = access.get();
        IdType patient = a.hasPatient() ? new IdType("Patient", a.patientId()) : null;
        Set<String> exportTypes = new TreeSet<>();
        boolean exportAll = false;
        for (SmartScope scope : a.scopes().resourceScopes()) {
            if (scope.context() == ScopeContext.PATIENT && patient == null) {
                continue;   // a patient scope without a patient in context grants nothing
            }
            String name = scope.toString();
            if (scope.permissions().contains(Permission.READ) || scope.permissions().contains(Permission.SEARCH)) {
                where(types(rules.allow(name).read(), scope), scope, patient);
                if (scope.context() == ScopeContext.SYSTEM) {
                    if (scope.isAnyType()) {
                        exportAll = true;
                    } else {
                        exportTypes.add(scope.resourceType());
                    }
                }
            }
            if (scope.permissions().contains(Permission.CREATE) || scope.permissions().contains(Permission.UPDATE)) {
                where(types(rules.allow(name).write(), scope), scope, patient);
            }
            if (scope.permissions().contains(Permission.DELETE)) {
                where(types(rules.allow(name).delete(), scope), scope, patient);
            }
        }
        if (a.mayExport() && (exportAll || !exportTypes.isEmpty())) {
            // SMART Bulk Data Access IG 2.0: $export for backend services (system/ scopes), at system, Patient
            // (type and instance) and Group level; the status URL and the files are the kicking-off client's
            // own (BulkExportOwner, ExportFileAccess)
            rules.allow("bulk export").operation().named("$export").onServer().andRequireExplicitResponseAuthorization();
            rules.allow("bulk export").operation().named("$export")
                    .onType(org.hl7.fhir.r4.model.Patient.class).andRequireExplicitResponseAuthorization();
            rules.allow("bulk export").operation().named("$export")
                    .onInstancesOfType(org.hl7.fhir.r4.model.Patient.class).andRequireExplicitResponseAuthorization();
            rules.allow("bulk export").operation().named("$export")
                    .onInstancesOfType(org.hl7.fhir.r4.model.Group.class).andRequireExplicitResponseAuthorization();
            rules.allow("bulk export status").operation().named("$export-poll-status").onServer()
                    .andAllowAllResponses();
            if (exportAll) {
                rules.allow("bulk export").bulkExport().any();
            } else {
                rules.allow("bulk export").bulkExport().any().withResourceTypes(exportTypes);
                // the NDJSON output files are Binary resources (requiresAccessToken: true): this client's own
                // files, not Binary in general
                rules.allow("bulk export files").read().resourcesOfType("Binary").withAnyId()
                        .withTester(new ExportFileTester());
            }
        } else {
            // everyone else (operators, user/ and patient/ apps): no kick-off, poll, cancel, whatever other
            // rule below would allow the operation
            rules.deny("bulk export is for backend services").operation().named("$export").atAnyLevel()
                    .andAllowAllResponses();
            rules.deny("bulk export is for backend services").operation().named("$export-poll-status")
                    .atAnyLevel().andAllowAllResponses();
        }
        if (a.operator()) {
            // an engine operator (ENGINEER, basic auth) may run any operation ($everything, $validate, $meta...)
            // but bulk export, denied above
            rules.allow("operator").operation().withAnyName().atAnyLevel().andAllowAllResponses();
        } else if (a.scopes().permitsInAnyContext("Patient", Permission.READ)) {
            // Patient/$everything: what comes back is checked against the read rules
            if (a.hasPatient() && a.scopes().permits(ScopeContext.PATIENT, "Patient", Permission.READ)) {
                rules.allow("$everything").operation().named("$everything").onInstance(patient)
                        .andRequireExplicitResponseAuthorization();
            }
            if (a.scopes().permits(ScopeContext.USER, "Patient", Permission.READ)
                    || a.scopes().permits(ScopeContext.SYSTEM, "Patient", Permission.READ)) {
                rules.allow("$everything").operation().named("$everything").onInstancesOfType(
                        org.hl7.fhir.r4.model.Patient.class).andRequireExplicitResponseAuthorization();
            }
        }
        if (!a.operator() && (a.scopes().permits(ScopeContext.USER, "Subscription", Permission.READ)
                || a.scopes().permits(ScopeContext.SYSTEM, "Subscription", Permission.READ))) {
            // Subscriptions backport IG: $status answers counts and the last error, no patient data; $events
            // carries the events' focus resources, each checked against the read rules above
            rules.allow("subscription $status").operation().named("$status")
                    .onInstancesOfType(org.hl7.fhir.r4.model.Subscription.class).andAllowAllResponses();
            rules.allow("subscription $events").operation().named("$events")
                    .onInstancesOfType(org.hl7.fhir.r4.model.Subscription.class)
                    .andRequireExplicitResponseAuthorization();
            // the SubscriptionStatus that opens the answer is a Parameters (R4 backport); the server stores none
            rules.allow("subscription status").read().resourcesOfType("Parameters").withAnyId();
        }
        rules.allow("transaction").transaction().withAnyOperation().andApplyNormalRules();
        // a batch or transaction entry's search Bundle that holds no resource (_summary=count, nothing found): HAPI
        // checks each resource of the response, and this one is of no type a scope names; its count is that of a
        // search narrowed as the same search alone (SmartSearchNarrowingInterceptor, ScopeQuerySearchNarrowing)
        rules.allow("search answer without resources").read().resourcesOfType("Bundle").withAnyId()
                .withTester(new ResourcelessSearchAnswerTester());
        return rules.denyAll("not within the granted SMART scopes").build();
    }

    /** The Binary read rule of a type-scoped exporter holds for its own export files only. */
    private static final class ExportFileTester implements IAuthRuleTester {

        @Override
        public boolean matchesOutput(RuleTestRequest request) {
            return BulkExportOwner.isFileOf(request.resource, request.requestDetails);
        }
    }

    /**
     * A searchset Bundle with no resource but OperationOutcomes, inside a batch or transaction response: the answer
     * of an entry's count or of an entry's search that found nothing (FHIR R4 http.html#transaction-response).
     */
    private static final class ResourcelessSearchAnswerTester implements IAuthRuleTester {

        @Override
        public boolean matches(RuleTestRequest request) {
            return request.operation == RestOperationTypeEnum.TRANSACTION
                    || request.operation == RestOperationTypeEnum.BATCH;
        }

        @Override
        public boolean matchesOutput(RuleTestRequest request) {
            return request.resource instanceof Bundle bundle && bundle.getType() == Bundle.BundleType.SEARCHSET
                    && bundle.getEntry().stream().allMatch(entry -> entry.getResource() == null
                            || entry.getResource() instanceof OperationOutcome);
        }
    }

    private static IAuthRuleBuilderRuleOpClassifier types(IAuthRuleBuilderAppliesTo<IAuthRuleBuilderRuleOpClassifier> op,
                                                          SmartScope scope) {
        return scope.isAnyType() ? op.allResources() : op.resourcesOfType(scope.resourceType());
    }

    /**
     * The instances a rule covers: the patient's compartment or any; a v2 query-narrowed scope
     * ({@code patient/Observation.rs?category=laboratory}) only the resources matching its query (HAPI's FHIR-query
     * rule filters; without a search parameter matcher HAPI cannot evaluate them and the rule grants nothing).
     */
    private static void where(IAuthRuleBuilderRuleOpClassifier op, SmartScope scope, IdType patient) {
        String filter = filter(scope);
        if (scope.context() == ScopeContext.PATIENT) {
            if (filter == null) {
                op.inCompartment("Patient", patient);
            } else {
                op.inCompartmentWithFilter("Patient", patient, filter);
            }
        } else if (filter == null) {
            op.withAnyId();
        } else {
            op.withFilter(filter);
        }
    }

    private static String filter(SmartScope scope) {
        if (scope.query().isEmpty()) {
            return null;
        }
        StringBuilder filter = new StringBuilder();
        scope.query().forEach((name, values) -> values.forEach(value -> {
            if (filter.length() > 0) {
                filter.append('&');
            }
            filter.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }));
        return filter.toString();
    }

    static Optional<SmartAccess> access(RequestDetails request) {
        if (request instanceof ServletRequestDetails servlet) {
            return SmartAccess.from(servlet.getServletRequest());
        }
        return SmartAccess.current();
    }

}
