package io.carebus.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Carebus as an SFTP client of a server it does not run (a partner's own host, an external drop box): how it knows
 * the server's host key, and the key pair it may sign in with. Strict host key checking is the default: a connection
 * whose host key is not one of those configured is refused, so no machine in the middle reads or feeds X12.
 */
public class SftpClientSecurity {

    /** An OpenSSH known_hosts file naming the host ({@code host} on port 22, else {@code [host]:port}). */
    private String knownHostsFile;
    /**
     * The server's public host keys in OpenSSH form ({@code ssh-ed25519 AAAA...}, as in the server's
     * {@code /etc/ssh/ssh_host_*_key.pub} or the output of {@code ssh-keyscan}, host name left out).
     */
    private List<String> hostKeys = new ArrayList<>();
    /** false: accept whatever host key the server shows. For test set-ups only; logged as a warning at start. */
    private boolean strictHostKeyChecking = true;
    /** A private key (OpenSSH or PEM) to sign in with, instead of or besides the password. */
    private String privateKeyFile;
    /** Its passphrase, from the environment; empty for a key without one. */
    private String privateKeyPassphrase;

    public String getKnownHostsFile() { return knownHostsFile; }
    public void setKnownHostsFile(String v) { knownHostsFile = v; }
    public List<String> getHostKeys() { return hostKeys; }
    public void setHostKeys(List<String> v) { hostKeys = v; }
    public boolean isStrictHostKeyChecking() { return strictHostKeyChecking; }
    public void setStrictHostKeyChecking(boolean v) { strictHostKeyChecking = v; }
    public String getPrivateKeyFile() { return privateKeyFile; }
    public void setPrivateKeyFile(String v) { privateKeyFile = v; }
    public String getPrivateKeyPassphrase() { return privateKeyPassphrase; }
    public void setPrivateKeyPassphrase(String v) { privateKeyPassphrase = v; }
}
