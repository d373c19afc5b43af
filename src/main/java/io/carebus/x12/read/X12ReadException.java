package io.carebus.x12.read;

import io.carebus.x12.X12Exception;

/** The bytes could not be read (I/O failure underneath the X12 reader). */
public class X12ReadException extends X12Exception {
    public X12ReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
