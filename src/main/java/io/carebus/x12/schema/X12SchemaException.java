package io.carebus.x12.schema;

import io.carebus.x12.X12Exception;

/** An implementation-guide schema under mappings/x12 cannot be read or is inconsistent. */
public class X12SchemaException extends X12Exception {
    public X12SchemaException(String message) {
        super(message);
    }

    public X12SchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
