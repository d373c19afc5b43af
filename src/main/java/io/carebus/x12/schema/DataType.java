package io.carebus.x12.schema;

/** X12 simple data element types. Nn: implied-decimal numeric with n decimals; R: decimal. */
public enum DataType {
    AN, ID, N0, N1, N2, N3, N4, R, DT, TM, B;

    public boolean numeric() {
        return this == N0 || this == N1 || this == N2 || this == N3 || this == N4 || this == R;
    }

    public static DataType of(String code) {
        return switch (code) {
            case "N" -> N0;
            default -> valueOf(code);
        };
    }
}
