package io.carebus.x12;

/** Base of every X12 failure Carebus raises; each cause has its own subtype. */
public class X12Exception extends RuntimeException {
    public X12Exception(String message) {
        super(message);
    }

    public X12Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
