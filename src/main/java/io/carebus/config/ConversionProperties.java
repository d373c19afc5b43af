package io.carebus.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** carebus.conversion.*: HL7 v2 ⇄ FHIR conversion settings. */
@ConfigurationProperties(prefix = "carebus.conversion")
public class ConversionProperties {

    /** Zone of v2 timestamps sent without an offset (TS/DTM without +/-ZZZZ). */
    private String defaultZone = "UTC";
    /** Base of Identifier.system for an assigning authority known only by its name. */
    private String identifierSystemPrefix = "urn:carebus:id:";
    /** Base URL of the extensions Carebus writes (Z-segments, encapsulated data). */
    private String extensionBase = "http://carebus.io/fhir/StructureDefinition/";

    public String getDefaultZone() { return defaultZone; }
    public void setDefaultZone(String defaultZone) { this.defaultZone = defaultZone; }
    public String getIdentifierSystemPrefix() { return identifierSystemPrefix; }
    public void setIdentifierSystemPrefix(String prefix) { this.identifierSystemPrefix = prefix; }
    public String getExtensionBase() { return extensionBase; }
    public void setExtensionBase(String extensionBase) { this.extensionBase = extensionBase; }
}
