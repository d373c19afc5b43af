package io.carebus.sftp;

/**
 * An X12 file Carebus wrote could not be put on the partner's SFTP host (or the drop box): the connection, sign-in,
 * host key check or upload failed. Nothing was delivered; the caller still has what it asked to send.
 */
public class X12DeliveryException extends RuntimeException {
    public X12DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
