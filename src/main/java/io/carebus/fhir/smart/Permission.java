package io.carebus.fhir.smart;

/**
 * What a SMART scope lets a client do with a resource type. SMART App Launch 2.x §Scopes for requesting FHIR
 * resources: c create, r read (and vread, history of an instance), u update (and patch), d delete, s search.
 */
public enum Permission {
    CREATE('c'), READ('r'), UPDATE('u'), DELETE('d'), SEARCH('s');

    private final char letter;

    Permission(char letter) {
        this.letter = letter;
    }

    public char letter() {
        return letter;
    }

    static Permission of(char letter) {
        for (Permission p : values()) {
            if (p.letter == letter) {
                return p;
            }
        }
        return null;
    }
}
