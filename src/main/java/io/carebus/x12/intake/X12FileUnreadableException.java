package io.carebus.x12.intake;

import java.io.IOException;

import io.carebus.x12.X12Exception;

/** A file taken from a drop box cannot be read from its local work copy. */
public class X12FileUnreadableException extends X12Exception {

    public X12FileUnreadableException(String fileName, IOException cause) {
        super("X12 file " + fileName + " cannot be read: " + cause.getMessage(), cause);
    }
}
