package io.carebus.conversion.mapping;

import java.time.ZoneId;

/**
 * Settings of a conversion (carebus.conversion.*).
 *
 * @param defaultZone             zone of v2 timestamps sent without an offset (UTC unless configured)
 * @param identifierSystemPrefix  base of Identifier.system for an assigning authority known only by name (CX-4.1)
 * @param extensionBase           base URL of the extensions Carebus writes (Z-segments, v2 fields without a home)
 */
public record ConversionSettings(ZoneId defaultZone, String identifierSystemPrefix, String extensionBase) {

    public static ConversionSettings defaults() {
        return new ConversionSettings(ZoneId.of("UTC"), "urn:carebus:id:", "http://carebus.io/fhir/StructureDefinition/");
    }
}
