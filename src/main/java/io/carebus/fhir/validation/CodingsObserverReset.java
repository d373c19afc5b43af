package io.carebus.fhir.validation;

import java.lang.reflect.Field;
import java.util.List;

import org.hl7.fhir.validation.codesystem.CodingsObserver;
import org.hl7.fhir.validation.instance.InstanceValidator;

/**
 * Empties the codings observer of a core {@link InstanceValidator} once a resource is validated.
 *
 * <p>The observer (org.hl7.fhir.validation 6.6.7) appends every coding the validator sees, with the node stack
 * (and so the element tree) of its resource, to a list it reads only in {@code finish()}, for an IPS SNOMED check at
 * the end of the same validation; nothing clears the list and neither it nor the observer has a setter, so a reused
 * validator kept about 64 KB per resource. Clearing it after each resource is what a fresh validator would give
 * the next one; the alternative, building a new validator every few resources, cost 8.6% of the engine's CPU in
 * {@code bench/run fhir-ingest} (the constructor reads the OID registry CSV each time). The fields are reached by
 * reflection; if a later library renames them, {@link #available()} is false and the pool goes back to retiring
 * validators.
 */
final class CodingsObserverReset {

    private static final Field OBSERVER = field(InstanceValidator.class, "codingObserver");
    private static final Field LIST = field(CodingsObserver.class, "list");

    private CodingsObserverReset() {
    }

    static boolean available() {
        return OBSERVER != null && LIST != null;
    }

    /** Empties the observer's list; false when that could not be done (the validator must then be retired). */
    static boolean reset(InstanceValidator validator) {
        List<?> list = list(validator);
        if (list == null) {
            return false;
        }
        list.clear();
        return true;
    }

    /** The codings the validator's observer holds (-1 if unknown). */
    static int held(InstanceValidator validator) {
        List<?> list = list(validator);
        return list == null ? -1 : list.size();
    }

    private static List<?> list(InstanceValidator validator) {
        if (!available()) {
            return null;
        }
        try {
            Object observer = OBSERVER.get(validator);
            return observer == null ? null : LIST.get(observer) instanceof List<?> list ? list : null;
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
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
