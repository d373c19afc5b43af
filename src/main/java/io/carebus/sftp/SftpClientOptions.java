package io.carebus.sftp;

/**
 * The camel-ftp sftp endpoint options of one connection Carebus makes: strictHostKeyChecking (yes / no),
 * knownHostsFile (the host keys it accepts) and privateKeyFile / privateKeyPassphrase (key sign-in; empty: password
 * only).
 */
public record SftpClientOptions(String strictHostKeyChecking, String knownHostsFile, String privateKeyFile,
                                String privateKeyPassphrase) {
}
