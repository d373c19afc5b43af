package io.carebus.conversion.mapping;

/** A mapping file is wrong (unknown element, datatype, table or message): raised at start-up, never per message. */
public class MappingException extends RuntimeException {
    public MappingException(String message) {
        super(message);
    }

    public MappingException(String message, Throwable cause) {
        super(message, cause);
    }
}
