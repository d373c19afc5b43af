package io.carebus.fhir.smart;

/** The first part of a SMART resource scope: whose data it is about. */
public enum ScopeContext {
    /** data of the patient in context (the token's {@code patient}) */
    PATIENT("patient"),
    /** whatever the signed-in user may see */
    USER("user"),
    /** a backend service, no user and no patient (SMART Backend Services) */
    SYSTEM("system");

    private final String prefix;

    ScopeContext(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    static ScopeContext of(String prefix) {
        for (ScopeContext c : values()) {
            if (c.prefix.equals(prefix)) {
                return c;
            }
        }
        return null;
    }
}
