package io.carebus.fhir.validation;

import java.lang.reflect.Field;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.hl7.fhir.validation.codesystem.CodingsObserver;
import org.hl7.fhir.validation.instance.InstanceValidator;

/**
 * Empties what a core {@link InstanceValidator} (org.hl7.fhir.validation 6.6.7) keeps from one resource to the next
 * and never clears, once a resource is validated:
 * <ul>
 *   <li>its codings observer's list: every coding seen, with the node stack (and so the element tree) of its
 *       resource, read only in {@code finish()} for an IPS SNOMED check at the end of the same validation; about
 *       64 KB per resource;</li>
 *   <li>{@code textsToCheck} and its keys: each new code/text pair of a CodeableConcept, with its node stack, for an
 *       AI text check this engine does not run;</li>
 *   <li>{@code xhtmlElementMap}: narrative ids per resource element.</li>
 * </ul>
 * None has a setter, so the fields are reached by reflection. Clearing them is what a fresh validator gives the
 * next resource; the alternative, building a new validator every few resources, cost 8.6% of the engine's CPU in
 * {@code bench/run fhir-ingest} (the constructor reads the OID registry CSV each time). If a later library renames
 * a field, {@link #available()} is false and the pool retires validators often again.
 */
final class InstanceValidatorReset {

    private static final Field OBSERVER = field(InstanceValidator.class, "codingObserver");
    private static final Field OBSERVED = field(CodingsObserver.class, "list");
    private static final List<Field> KEPT = java.util.Arrays.asList(field(InstanceValidator.class, "textsToCheck"),
            field(InstanceValidator.class, "textsToCheckKeys"), field(InstanceValidator.class, "xhtmlElementMap"));

    private InstanceValidatorReset() {
    }

    static boolean available() {
        return OBSERVER != null && OBSERVED != null && !KEPT.contains(null);
    }

    /** Empties what the validator kept; false when that could not be done (the validator must then be retired). */
    static boolean reset(InstanceValidator validator) {
        if (!available()) {
            return false;
        }
        try {
            boolean done = clear(observed(validator));
            for (Field field : KEPT) {
                done &= clear(field.get(validator));
            }
            return done;
        } catch (IllegalAccessException | RuntimeException e) {
            return false;
        }
    }

    /** The codings the validator's observer holds (-1 if unknown). */
    static int codingsHeld(InstanceValidator validator) {
        try {
            return available() && observed(validator) instanceof Collection<?> list ? list.size() : -1;
        } catch (IllegalAccessException | RuntimeException e) {
            return -1;
        }
    }

    private static Object observed(InstanceValidator validator) throws IllegalAccessException {
        Object observer = OBSERVER.get(validator);
        return observer == null ? null : OBSERVED.get(observer);
    }

    /** Clears a collection or map; true also for none (null). */
    private static boolean clear(Object kept) {
        if (kept instanceof Collection<?> collection) {
            collection.clear();
            return true;
        }
        if (kept instanceof Map<?, ?> map) {
            map.clear();
            return true;
        }
        return kept == null;
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
