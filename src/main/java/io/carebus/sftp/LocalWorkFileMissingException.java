package io.carebus.sftp;

/** The SFTP consumer handed over a file without its local work copy (localWorkDirectory not set). */
public class LocalWorkFileMissingException extends RuntimeException {

    public LocalWorkFileMissingException(String fileName) {
        super("X12 file " + fileName + " has no local work copy: the SFTP consumer must use localWorkDirectory");
    }
}
