package io.carebus.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * carebus.sftp: the clearinghouse drop box (an embedded SFTP server by default) and how Carebus polls it. The embedded
 * server's host key is checked without configuration; an external drop box's comes from the
 * {@link SftpClientSecurity} settings (known-hosts-file or host-keys).
 */
@ConfigurationProperties(prefix = "carebus.sftp")
public class SftpProperties extends SftpClientSecurity {

    private Embedded embedded = new Embedded();
    /** Folder of the partner homes (data/sftp/<partner>/inbound, outbound, archive, error). */
    private String root;
    /** Host and port the inbound consumers connect to (the embedded server unless set). */
    private String host = "localhost";
    /** Account the inbound consumers log in with; its home is the root of all partner homes. */
    private String username = "carebus";
    /** Its password; when empty and the server is embedded, a random one is made at start-up. */
    private String password;
    /** Poll delay of the inbound consumers, milliseconds. */
    private long pollDelayMs = 2000;
    /** A file is taken once its size and date stay the same for this long (readLock=changed). */
    private long readLockMinAgeMs = 1000;
    private long readLockCheckIntervalMs = 500;
    /** Local folder a taken file is streamed to before it is read (default <data-dir>/sftp-work). */
    private String workDir;

    public static class Embedded {
        private boolean enabled = true;
        private int port = 2222;
        /** The server's host key (generated at first start). */
        private String hostKey;

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean v) { enabled = v; }
        public int getPort() { return port; }
        public void setPort(int v) { port = v; }
        public String getHostKey() { return hostKey; }
        public void setHostKey(String v) { hostKey = v; }
    }

    public Embedded getEmbedded() { return embedded; }
    public void setEmbedded(Embedded v) { embedded = v; }
    public String getRoot() { return root; }
    public void setRoot(String v) { root = v; }
    public String getHost() { return host; }
    public void setHost(String v) { host = v; }
    public String getUsername() { return username; }
    public void setUsername(String v) { username = v; }
    public String getPassword() { return password; }
    public void setPassword(String v) { password = v; }
    public String getWorkDir() { return workDir; }
    public void setWorkDir(String v) { workDir = v; }
    public long getPollDelayMs() { return pollDelayMs; }
    public void setPollDelayMs(long v) { pollDelayMs = v; }
    public long getReadLockMinAgeMs() { return readLockMinAgeMs; }
    public void setReadLockMinAgeMs(long v) { readLockMinAgeMs = v; }
    public long getReadLockCheckIntervalMs() { return readLockCheckIntervalMs; }
    public void setReadLockCheckIntervalMs(long v) { readLockCheckIntervalMs = v; }
}
