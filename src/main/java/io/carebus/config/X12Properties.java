package io.carebus.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** carebus.x12 (config/application.yaml) and the trading partners (config/partners.yaml). */
@ConfigurationProperties(prefix = "carebus.x12")
public class X12Properties {

    /** Carebus in the envelopes it writes (ISA05/ISA06, GS02, ISA15). */
    private String isaQualifier = "ZZ";
    private String isaId = "CAREBUS";
    private String gsId = "CAREBUS";
    private boolean production = false;
    /** The partner whose envelope ids the REST API uses when none is named. */
    private String defaultPartner = "clearinghouse";
    /** 837 1000A submitter: name, id the receiver assigned, EDI contact. */
    private String submitterName = "CAREBUS";
    private String submitterId = "CAREBUS";
    private String submitterContact = "EDI DESK";
    private String submitterPhone = "8005550100";
    /** 270 TRN03 originating company identifier: 1 followed by the tax id. */
    private String originatorId = "1000000000";
    private Map<String, Partner> partners = new LinkedHashMap<>();

    public static class Partner {
        private String isaQualifier = "ZZ";
        private String isaId;
        private String gsId;
        /** 837 1000B receiver name. */
        private String name;
        private String elementSeparator = "*";
        private String repetitionSeparator = "^";
        private String componentSeparator = ":";
        private String segmentTerminator = "~";
        private Sftp sftp = new Sftp();

        public String getIsaQualifier() { return isaQualifier; }
        public void setIsaQualifier(String v) { isaQualifier = v; }
        public String getIsaId() { return isaId; }
        public void setIsaId(String v) { isaId = v; }
        public String getGsId() { return gsId; }
        public void setGsId(String v) { gsId = v; }
        public String getName() { return name; }
        public void setName(String v) { name = v; }
        public String getElementSeparator() { return elementSeparator; }
        public void setElementSeparator(String v) { elementSeparator = v; }
        public String getRepetitionSeparator() { return repetitionSeparator; }
        public void setRepetitionSeparator(String v) { repetitionSeparator = v; }
        public String getComponentSeparator() { return componentSeparator; }
        public void setComponentSeparator(String v) { componentSeparator = v; }
        public String getSegmentTerminator() { return segmentTerminator; }
        public void setSegmentTerminator(String v) { segmentTerminator = v; }
        public Sftp getSftp() { return sftp; }
        public void setSftp(Sftp v) { sftp = v; }
    }

    /** The partner's account on the embedded drop box, and its own SFTP host for what Carebus sends. */
    public static class Sftp {
        /** Password of the partner's drop-box account (from the environment); empty: public keys only. */
        private String password;
        /** OpenSSH public keys (authorized_keys lines) the partner may log in with. */
        private List<String> publicKeys = new ArrayList<>();
        private Outbound outbound = new Outbound();

        public String getPassword() { return password; }
        public void setPassword(String v) { password = v; }
        public List<String> getPublicKeys() { return publicKeys; }
        public void setPublicKeys(List<String> v) { publicKeys = v; }
        public Outbound getOutbound() { return outbound; }
        public void setOutbound(Outbound v) { outbound = v; }
    }

    /**
     * Where outbound 837/270/276/278 go: the partner's SFTP host, its host key(s) and how Carebus signs in (password
     * and/or private key).
     */
    public static class Outbound extends SftpClientSecurity {
        private boolean enabled;
        private String host;
        private int port = 22;
        private String username;
        private String password;
        private String directory = "inbound";

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean v) { enabled = v; }
        public String getHost() { return host; }
        public void setHost(String v) { host = v; }
        public int getPort() { return port; }
        public void setPort(int v) { port = v; }
        public String getUsername() { return username; }
        public void setUsername(String v) { username = v; }
        public String getPassword() { return password; }
        public void setPassword(String v) { password = v; }
        public String getDirectory() { return directory; }
        public void setDirectory(String v) { directory = v; }
    }

    public String getIsaQualifier() { return isaQualifier; }
    public void setIsaQualifier(String v) { isaQualifier = v; }
    public String getIsaId() { return isaId; }
    public void setIsaId(String v) { isaId = v; }
    public String getGsId() { return gsId; }
    public void setGsId(String v) { gsId = v; }
    public boolean isProduction() { return production; }
    public void setProduction(boolean v) { production = v; }
    public String getDefaultPartner() { return defaultPartner; }
    public void setDefaultPartner(String v) { defaultPartner = v; }
    public String getSubmitterName() { return submitterName; }
    public void setSubmitterName(String v) { submitterName = v; }
    public String getSubmitterId() { return submitterId; }
    public void setSubmitterId(String v) { submitterId = v; }
    public String getSubmitterContact() { return submitterContact; }
    public void setSubmitterContact(String v) { submitterContact = v; }
    public String getSubmitterPhone() { return submitterPhone; }
    public void setSubmitterPhone(String v) { submitterPhone = v; }
    public String getOriginatorId() { return originatorId; }
    public void setOriginatorId(String v) { originatorId = v; }
    public Map<String, Partner> getPartners() { return partners; }
    public void setPartners(Map<String, Partner> v) { partners = v; }
}
