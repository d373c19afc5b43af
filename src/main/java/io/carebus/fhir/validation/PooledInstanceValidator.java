package io.carebus.fhir.validation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.validation.IValidationContext;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.exceptions.FHIRFormatError;
import org.hl7.fhir.r5.conformance.profile.ProfileUtilities;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.elementmodel.JsonParser;
import org.hl7.fhir.r5.elementmodel.Manager;
import org.hl7.fhir.r5.elementmodel.ParserBase;
import org.hl7.fhir.r5.elementmodel.ValidatedFragment;
import org.hl7.fhir.r5.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;

/**
 * HAPI's {@link FhirInstanceValidator} with its per-call set-up taken out: HAPI builds a new core
 * {@link InstanceValidator} for every resource, and that constructor alone (it reads the OID registry CSV, builds a
 * FHIRPath engine and profile utilities) is more than half of a warm US Core validation. Here the built validators
 * are kept in a pool and reused: the core validator clears its per-resource state at the start of each
 * {@code validate} (InstanceValidator#validate: "the first thing to do is to clear the internal state"), and one
 * is never used by two threads at once. Not all of it, though: its codings observer keeps every coding it has seen,
 * with the node stack (and so the whole element tree) of the resource it was in, for a check it makes only for IPS;
 * it is never cleared and has no setter. Reused forever, a validator held on to about 64 KB per resource it had
 * validated, and a busy server filled its heap with them. So what it keeps is emptied after each resource
 * ({@link InstanceValidatorReset}), and a validator is still retired after {@link #USES_WITH_RESET} resources, to
 * bound whatever else it may keep; should the reset not be possible (a library that renamed its fields), after
 * {@link #DEFAULT_USES_PER_VALIDATOR}. Building validators costs CPU (at 50 uses, 8.6% of the engine's in
 * {@code bench/run fhir-ingest}).
 *
 * <p>JSON is validated this way (what FhirValidator hands a validator module for a parsed resource); anything else
 * (XML, a resource given as text) goes through HAPI's own path. The messages and their treatment are HAPI's
 * (ValidatorWrapper): the same filtering of binding messages and unknown profiles as errors.
 */
public class PooledInstanceValidator extends FhirInstanceValidator {

    /** Resources one core validator validates before it is retired, when what it keeps cannot be emptied. */
    public static final int DEFAULT_USES_PER_VALIDATOR = 50;
    /** Resources one core validator validates before it is retired, when what it keeps is emptied after each. */
    public static final int USES_WITH_RESET = 500;

    private final Queue<Pooled> pool = new ConcurrentLinkedQueue<>();
    private final int usesPerValidator;
    private final boolean resetObserver;
    private final AtomicLong built = new AtomicLong();

    public PooledInstanceValidator(IValidationSupport validationSupport) {
        this(validationSupport, DEFAULT_USES_PER_VALIDATOR);
    }

    public PooledInstanceValidator(IValidationSupport validationSupport, int usesPerValidator) {
        this(validationSupport, usesPerValidator, InstanceValidatorReset.available());
    }

    /** @param resetObserver empty what each validator keeps after each resource, and retire it less often */
    PooledInstanceValidator(IValidationSupport validationSupport, int usesPerValidator, boolean resetObserver) {
        super(validationSupport);
        if (usesPerValidator < 1) {
            throw new IllegalArgumentException("usesPerValidator must be at least 1: " + usesPerValidator);
        }
        this.usesPerValidator = usesPerValidator;
        this.resetObserver = resetObserver;
    }

    @Override
    protected List<ValidationMessage> validate(IValidationContext<?> context) {
        if (context.getResourceAsStringEncoding() != EncodingEnum.JSON || !(context.getResource() instanceof IBaseResource)) {
            return super.validate(context);
        }
        IWorkerContext worker = provideWorkerContext();
        List<ValidationMessage> messages = new ArrayList<>();
        List<StructureDefinition> profiles = new ArrayList<>();
        List<ValidationMessage> unknownProfiles = new ArrayList<>();
        for (String url : declaredAndRequestedProfiles(context)) {
            StructureDefinition sd = worker.fetchResource(StructureDefinition.class, url);
            if (sd != null) {
                profiles.add(sd);
            } else {
                unknownProfiles.add(new ValidationMessage().setMessageId("Validation_VAL_Profile_Unknown")
                        .setLevel(ValidationMessage.IssueSeverity.ERROR)
                        .setMessage("Invalid profile. Failed to retrieve profile with url=" + url));
            }
        }
        Pooled pooled = pool.poll();
        if (pooled == null) {
            pooled = new Pooled(newInstanceValidator(worker),
                    new ProfileUtilities(worker, null, null, new FHIRPathEngine(worker)));
            built.incrementAndGet();
        }
        byte[] json = context.getResourceAsString().getBytes(StandardCharsets.UTF_8);
        validate(pooled, worker, context.getOptions().getAppContext(), messages, json, profiles);
        boolean emptied = resetObserver && InstanceValidatorReset.reset(pooled.validator());
        if (++pooled.uses < (emptied ? Math.max(usesPerValidator, USES_WITH_RESET) : usesPerValidator)) {
            pool.offer(pooled);   // not reached when it threw: that one is dropped
        }
        if (profiles.isEmpty() && !unknownProfiles.isEmpty()) {
            messages.addAll(unknownProfiles);
        }
        List<ValidationMessage> kept = new ArrayList<>(messages.size());
        for (ValidationMessage m : messages) {
            if (!isUncheckableBinding(m)) {
                if (isErrorForUnknownProfiles() && m.getLevel() == ValidationMessage.IssueSeverity.WARNING
                        && ("Validation_VAL_Profile_Unknown".equals(m.getMessageId())
                        || "VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY".equals(m.getMessageId()))) {
                    m.setLevel(ValidationMessage.IssueSeverity.ERROR);
                }
                kept.add(m);
            }
        }
        return kept;
    }

    /**
     * What {@code InstanceValidator.validate(appContext, errors, stream, JSON, profiles)} does (parse into
     * fragments, validate each, collect the parser's and the validator's messages per fragment), with the element
     * parser built on the pooled {@link ProfileUtilities}: the stock path builds a new parser, and with it a new
     * FHIRPath engine (an index of every type), for each resource. A logical model or a payload naming its own
     * profile takes the stock path.
     */
    private static void validate(Pooled pooled, IWorkerContext worker, Object appContext,
            List<ValidationMessage> messages, byte[] json, List<StructureDefinition> profiles) {
        InstanceValidator validator = pooled.validator();
        boolean logical = profiles.stream()
                .anyMatch(sd -> sd.getKind() == StructureDefinition.StructureDefinitionKind.LOGICAL);
        if (!logical) {
            JsonParser parser = new IndexedJsonParser(worker, pooled.profileUtilities());
            parser.setupValidation(ParserBase.ValidationPolicy.EVERYTHING);
            parser.setAllowComments(validator.isAllowComments());
            parser.setSignatureServices(validator.getSignatureServices());
            List<ValidatedFragment> fragments;
            try {
                fragments = parser.parse(new ByteArrayInputStream(json));
            } catch (IOException e) {
                throw new FHIRException(e);
            }
            if (parser.getImpliedProfile() == null) {
                for (ValidatedFragment fragment : fragments) {
                    if (fragment.getElement() != null) {
                        validator.validate(appContext, fragment.getErrors(),
                                fragments.size() > 1 ? fragment.path() : null, fragment.getElement(), profiles);
                    }
                    messages.addAll(fragment.getErrors());
                }
                return;
            }
        }
        validator.validate(appContext, messages, new ByteArrayInputStream(json), Manager.FhirFormat.JSON, profiles);
    }

    /**
     * The core element parser finding a type's definition by URL in the worker context's index: the stock
     * {@code ParserBase.getDefinition} walks every StructureDefinition loaded (R4 core and US Core) for each
     * resource it parses, comparing URLs.
     */
    private static final class IndexedJsonParser extends JsonParser {

        private static final String CORE_TYPE = "http://hl7.org/fhir/StructureDefinition/";

        IndexedJsonParser(IWorkerContext worker, ProfileUtilities profileUtilities) {
            super(worker, profileUtilities);
        }

        @Override
        protected StructureDefinition getDefinition(List<ValidationMessage> errors, int line, int col, String name)
                throws FHIRFormatError {
            if (name != null) {
                StructureDefinition sd = context.fetchResource(StructureDefinition.class, CORE_TYPE + name);
                if (sd != null && (CORE_TYPE + name).equals(sd.getUrl())) {
                    getContextUtilities().generateSnapshot(sd);
                    return sd;
                }
            }
            return super.getDefinition(errors, line, col, name);
        }
    }

    /**
     * A core validator, the profile utilities its element parsers share, and the resources it has validated; used
     * by one thread at a time.
     */
    private static final class Pooled {
        private final InstanceValidator validator;
        private final ProfileUtilities profileUtilities;
        private int uses;

        Pooled(InstanceValidator validator, ProfileUtilities profileUtilities) {
            this.validator = validator;
            this.profileUtilities = profileUtilities;
        }

        InstanceValidator validator() {
            return validator;
        }

        ProfileUtilities profileUtilities() {
            return profileUtilities;
        }
    }

    /** Validators waiting in the pool (at most one per thread that validated at the same time). */
    public int pooled() {
        return pool.size();
    }

    /** Codings held by the codings observers of the pooled validators (-1 for one that cannot tell). */
    int codingsHeld() {
        return pool.stream().mapToInt(p -> InstanceValidatorReset.codingsHeld(p.validator())).sum();
    }

    /** Core validators built so far. */
    public long built() {
        return built.get();
    }

    @Override
    public void invalidateCaches() {
        super.invalidateCaches();
        pool.clear();
    }

    private static Set<String> declaredAndRequestedProfiles(IValidationContext<?> context) {
        Set<String> urls = new LinkedHashSet<>(context.getOptions().getProfiles());
        IBaseResource resource = (IBaseResource) context.getResource();
        if (resource.getMeta() != null) {
            for (IPrimitiveType<String> profile : resource.getMeta().getProfile()) {
                if (profile.getValue() != null) {
                    urls.add(profile.getValue());
                }
            }
        }
        return urls;
    }

    /** As HAPI's ValidatorWrapper: a binding with no source, or to the mime-types value set, is not reported. */
    private static boolean isUncheckableBinding(ValidationMessage m) {
        String id = m.getMessageId();
        return id != null && (id.equals("Terminology_TX_Binding_NoSource") || id.equals("Terminology_TX_Binding_NoSource2")
                || (id.equals("Terminology_TX_ValueSet_NotFound") && m.getMessage() != null
                && m.getMessage().contains("http://hl7.org/fhir/ValueSet/mimetypes")));
    }

    /** Configured as HAPI's ValidatorWrapper configures its per-call one. */
    private InstanceValidator newInstanceValidator(IWorkerContext worker) {
        InstanceValidator v = new InstanceValidator(worker, new NullEvaluationContext(),
                new XVerExtensionManagerOld(worker), new ValidatorSession(), new ValidatorSettings());
        v.setAssumeValidRestReferences(isAssumeValidRestReferences());
        v.setBestPracticeWarningLevel(getBestPracticeWarningLevel());
        v.setAnyExtensionsAllowed(isAnyExtensionsAllowed());
        v.setResourceIdRule(IdStatus.OPTIONAL);
        v.setNoTerminologyChecks(isNoTerminologyChecks());
        v.setErrorForUnknownProfiles(isErrorForUnknownProfiles());
        v.setUnknownCodeSystemsCauseErrors(true);
        v.getExtensionDomains().addAll(getExtensionDomains());
        v.setFetcher(getValidatorResourceFetcher());
        v.setPolicyAdvisor(getValidatorPolicyAdvisor());
        v.setNoExtensibleWarnings(isNoExtensibleWarnings());
        v.setNoBindingMsgSuppressed(isNoBindingMsgSuppressed());
        v.setAllowExamples(isAllowExamples());
        v.setAllowXsiLocation(true);
        return v;
    }
}
