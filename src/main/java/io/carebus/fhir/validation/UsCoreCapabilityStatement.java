package io.carebus.fhir.validation;

import java.util.List;
import java.util.Set;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;

/**
 * The CapabilityStatement says what the server validates: {@code instantiates} the US Core 6.1.0 server
 * CapabilityStatement and, per resource type validated on write ({@code carebus.fhir.validation.resource-types}),
 * the US Core profiles as {@code supportedProfile} (those the package's us-core-server statement lists for the
 * type). A type stored unchecked claims no profile: a client would take a resource of it for conformant.
 */
@Interceptor
public class UsCoreCapabilityStatement {

    private final UsCoreValidator validator;
    private final Set<String> validatedTypes;

    public UsCoreCapabilityStatement(UsCoreValidator validator, UsCoreValidationProperties properties) {
        this.validator = validator;
        this.validatedTypes = properties.isEnabled() ? Set.copyOf(properties.getResourceTypes()) : Set.of();
    }

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void describe(IBaseConformance generated) {
        if (!(generated instanceof CapabilityStatement capabilities)) {
            return;
        }
        if (!capabilities.hasInstantiates(UsCoreValidator.US_CORE_SERVER)) {
            capabilities.addInstantiates(UsCoreValidator.US_CORE_SERVER);
        }
        for (CapabilityStatement.CapabilityStatementRestComponent rest : capabilities.getRest()) {
            for (CapabilityStatement.CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                if (!validatedTypes.contains(resource.getType())) {
                    continue;
                }
                List<String> profiles = validator.profilesFor(resource.getType());
                for (String profile : profiles) {
                    if (!resource.hasSupportedProfile(profile)) {
                        resource.addSupportedProfile(profile);
                    }
                }
            }
        }
    }
}
