package io.carebus.conversion.er7;

/** The text is not an HL7 v2 message in ER7 (pipe) encoding: no MSH, or no delimiters. */
public class Er7ParseException extends RuntimeException {
    public Er7ParseException(String message) {
        super(message);
    }
}
