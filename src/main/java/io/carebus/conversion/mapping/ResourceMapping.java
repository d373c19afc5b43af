package io.carebus.conversion.mapping;

import java.util.List;

import io.carebus.conversion.er7.Er7Segment;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ResourceFactory;

/**
 * Segment (or field) → resource, compiled from {@code segments/*.yaml} or a {@code resource:} datatype file:
 * the rules, the US Core profile claimed, and how the bundle writes it (conditional update or create keyed on
 * the first business identifier).
 */
public final class ResourceMapping {

    /** PUT Type?identifier=… (conditional update) or POST with ifNoneExist. */
    public enum Method { PUT, POST }

    private final String name;
    private final String resourceType;
    private final List<String> profiles;
    private final Method method;
    private final List<String> requires;
    private List<MappingRule> rules = List.of();

    ResourceMapping(String name, String resourceType, List<String> profiles, Method method, List<String> requires) {
        this.name = name;
        this.resourceType = resourceType;
        this.profiles = List.copyOf(profiles);
        this.method = method;
        this.requires = List.copyOf(requires);
    }

    void rules(List<MappingRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public String name() {
        return name;
    }

    public String resourceType() {
        return resourceType;
    }

    public Method method() {
        return method;
    }

    /**
     * Makes the resource from a segment (value null) or from one value of a field; null when it came out empty
     * or lacks an element it requires.
     */
    public ConvertedEntry create(ConversionContext ctx, Er7Segment segment, V2Value value) {
        Resource resource = ResourceFactory.createResource(resourceType);
        for (MappingRule rule : rules) {
            rule.apply(ctx, segment, value, resource);
        }
        for (String element : requires) {
            Base[] values = resource.getProperty(element.hashCode(), element, false);
            if (values == null || values.length == 0 || values[0] == null || values[0].isEmpty()) {
                return null;
            }
        }
        if (resource.isEmpty()) {
            return null;
        }
        for (String profile : profiles) {
            resource.getMeta().addProfile(profile);
        }
        return ctx.add(new ConvertedEntry(resource, this, segment.name()), businessKey(resource), segment, value == null);
    }

    /** The first identifier with a system and a value (PID-3, PV1-19, ORC-2/OBR-2, ORC-3/OBR-3…). */
    private static Identifier businessKey(Resource resource) {
        Base[] ids = resource.getProperty("identifier".hashCode(), "identifier", false);
        if (ids == null) {
            return null;
        }
        for (Base b : ids) {
            if (b instanceof Identifier id && id.hasSystem() && id.hasValue()) {
                return id;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name + " → " + resourceType;
    }
}
