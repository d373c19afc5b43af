package io.carebus.fhir.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.StringType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validation on write: a storage interceptor (HAPI's JPA interceptor service), so it applies to REST writes,
 * transaction entries and the in-process {@code LocalFhirStore} alike. A resource of a configured type with an ERROR
 * or FATAL issue is not stored: 422 Unprocessable Entity with an OperationOutcome whose issues carry the element
 * (expression, location) and, in the diagnostics, the profile(s) it was validated against. Warnings and
 * information never reject.
 */
@Interceptor
public class UsCoreWriteValidator {

    private static final Logger log = LoggerFactory.getLogger(UsCoreWriteValidator.class);

    private final UsCoreValidator validator;
    private final UsCoreValidationProperties properties;
    private final Set<String> types;

    public UsCoreWriteValidator(UsCoreValidator validator, UsCoreValidationProperties properties) {
        this.validator = validator;
        this.properties = properties;
        this.types = Set.copyOf(properties.getResourceTypes());
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        check(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        check(resource);
    }

    void check(IBaseResource resource) {
        String type = validator.fhirContext().getResourceType(resource);
        if (!types.contains(type)) {
            return;
        }
        List<String> profiles = profilesToAdd(type, resource);
        long t0 = System.nanoTime();
        ValidationResult result = validator.validate(resource, profiles);
        List<SingleValidationMessage> errors = result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .toList();
        if (log.isDebugEnabled()) {
            log.debug("Validated a {} in {} µs: {} error(s)", type, (System.nanoTime() - t0) / 1000, errors.size());
        }
        if (!errors.isEmpty()) {
            List<String> against = new ArrayList<>(declared(resource));
            profiles.stream().filter(p -> !against.contains(p)).forEach(against::add);
            // HAPI logs an interceptor's exception at ERROR with its message: the message names the type and the
            // profiles only, the issues (which may quote values) travel in the OperationOutcome to the client.
            throw new UnprocessableEntityException("US Core validation: " + errors.size() + " error(s) in a " + type
                    + " validated against " + (against.isEmpty() ? "FHIR R4" : String.join(", ", against)),
                    outcome(type, errors, against));
        }
    }

    private List<String> profilesToAdd(String type, IBaseResource resource) {
        if (properties.getMode() != UsCoreValidationProperties.Mode.US_CORE) {
            return List.of();
        }
        List<String> usCore = validator.profilesFor(type);
        if (usCore.isEmpty() || declared(resource).stream().anyMatch(usCore::contains)) {
            return List.of();
        }
        String profile = properties.getDefaultProfiles().get(type);
        if (profile == null && usCore.size() == 1) {
            profile = usCore.get(0);
        }
        return profile == null ? List.of() : List.of(profile);
    }

    private static List<String> declared(IBaseResource resource) {
        return resource.getMeta().getProfile().stream().map(IPrimitiveType::getValue).toList();
    }

    /**
     * The element an issue is about: the validator locates a missing element at its parent ("Patient") and names it
     * at the start of the message ("Patient.identifier: minimum required = 1, but only found 0 ..."); the named one
     * is the element a client has to fix.
     */
    static String element(SingleValidationMessage m) {
        String location = m.getLocationString();
        String text = m.getMessage();
        int colon = text == null ? -1 : text.indexOf(": ");
        if (colon > location.length() && text.startsWith(location + ".")
                && text.substring(0, colon).chars().noneMatch(Character::isWhitespace)) {
            return text.substring(0, colon);
        }
        return location;
    }

    static OperationOutcome outcome(String type, List<SingleValidationMessage> errors, List<String> profiles) {
        String against = profiles.isEmpty() ? "FHIR R4 " + type : String.join(", ", profiles);
        OperationOutcome outcome = new OperationOutcome();
        for (SingleValidationMessage m : errors) {
            OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                    .setSeverity(m.getSeverity() == ResultSeverityEnum.FATAL ? OperationOutcome.IssueSeverity.FATAL
                            : OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.PROCESSING)
                    .setDiagnostics(m.getMessage() + " (validated against " + against + ")");
            if (m.getLocationString() != null) {
                issue.addExpression(element(m));
                issue.getLocation().add(new StringType(m.getLocationString()));
            }
        }
        return outcome;
    }
}
