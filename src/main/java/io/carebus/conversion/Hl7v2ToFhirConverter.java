package io.carebus.conversion;

import java.util.HashMap;
import java.util.Map;

import ca.uhn.fhir.context.FhirContext;
import io.carebus.conversion.er7.Er7Message;
import io.carebus.conversion.er7.Er7ParseException;
import io.carebus.conversion.mapping.ConversionContext;
import io.carebus.conversion.mapping.ConversionSettings;
import io.carebus.conversion.mapping.MappingCompiler;
import io.carebus.conversion.mapping.MappingDocuments;
import io.carebus.conversion.mapping.MappingFunctions;
import io.carebus.conversion.mapping.MappingSet;
import io.carebus.conversion.mapping.MessageConversion;
import io.carebus.conversion.mapping.MessageMapping;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HL7 v2 (ER7) → FHIR R4 transaction Bundle. The mapping files are compiled once, here; each sender with a
 * file under {@code senders/} gets its own compiled set (the shared mappings with its file laid over them).
 * Thread-safe: conversions share nothing but the compiled mappings.
 */
public final class Hl7v2ToFhirConverter {

    private static final Logger log = LoggerFactory.getLogger(Hl7v2ToFhirConverter.class);

    private final FhirContext fhirContext;
    private final ConversionSettings settings;
    private final MappingSet shared;
    private final Map<String, MappingSet> bySender = new HashMap<>();

    public Hl7v2ToFhirConverter(FhirContext fhirContext, MappingDocuments documents, MappingFunctions functions,
                                ConversionSettings settings) {
        this.fhirContext = fhirContext;
        this.settings = settings;
        this.shared = MappingCompiler.compile(documents, functions);
        documents.senders().forEach((sender, overlay) ->
                bySender.put(sender, MappingCompiler.compile(documents.withOverlay(overlay), functions)));
        log.info("HL7 v2 → FHIR mappings compiled: {} message events, {} sender overrides",
                shared.events().size(), bySender.size());
    }

    /** The shared compiled mappings (their code tables serve the reverse direction too). */
    public MappingSet mappings() {
        return shared;
    }

    public ConversionSettings settings() {
        return settings;
    }

    public FhirContext fhirContext() {
        return fhirContext;
    }

    /** Converts one message; throws {@link UnconvertibleMessageException} with the reason, never a half bundle. */
    public Bundle convert(String er7) {
        Er7Message message;
        try {
            message = Er7Message.parse(er7);
        } catch (Er7ParseException e) {
            throw new UnconvertibleMessageException(e.getMessage(), e);
        }
        return convert(message);
    }

    public Bundle convert(Er7Message message) {
        String code = message.messageCode();
        String event = message.triggerEvent();
        MappingSet mappings = mappingsFor(message.sender());
        MessageMapping mapping = mappings.message(code, event);
        if (mapping == null) {
            throw new UnconvertibleMessageException("No HL7 v2 → FHIR mapping for " + code + "^" + event
                    + " (MSH-9)");
        }
        ConversionContext ctx;
        try {
            ctx = MessageConversion.run(message, mapping, mappings, settings);
        } catch (RuntimeException e) {
            throw new UnconvertibleMessageException("Conversion of " + code + "^" + event + " failed: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        if (ctx.entries().stream().allMatch(e -> "MSH".equals(e.segmentName()))) {
            throw new UnconvertibleMessageException(code + "^" + event + " holds nothing to convert "
                    + "(no segment of " + mapping.segments().keySet() + " with data)");
        }
        try {
            return BundleAssembler.assemble(ctx);
        } catch (RuntimeException e) {
            throw new UnconvertibleMessageException("Bundle of " + code + "^" + event + " failed: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** ER7 in, Bundle JSON out. */
    public String convertToJson(String er7) {
        return toJson(convert(er7));
    }

    public String toJson(Bundle bundle) {
        return FhirJsonWriter.write(bundle);
    }

    private MappingSet mappingsFor(String sender) {
        if (bySender.isEmpty()) {
            return shared;
        }
        MappingSet own = bySender.get(sender);
        if (own == null) {
            // a sender file may name the application alone (MSH-3)
            int caret = sender.indexOf('^');
            own = caret > 0 ? bySender.get(sender.substring(0, caret)) : null;
        }
        return own != null ? own : shared;
    }
}
