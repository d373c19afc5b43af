package io.carebus.x12.schema;

/** Implementation-guide usage of a loop, segment or element: Required, Situational, Not used. */
public enum Usage {
    REQUIRED, SITUATIONAL, NOT_USED;

    public static Usage of(String code) {
        return switch (code) {
            case "R" -> REQUIRED;
            case "S" -> SITUATIONAL;
            case "N" -> NOT_USED;
            default -> throw new X12SchemaException("Unknown usage " + code);
        };
    }
}
