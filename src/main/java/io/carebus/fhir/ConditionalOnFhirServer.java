package io.carebus.fhir;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * Part of the engine's own FHIR server (HAPI JPA at /fhir, SMART, US Core validation, bulk export, subscriptions,
 * audit): present unless {@code carebus.fhir.server.enabled=false} ({@code CAREBUS_FHIR_SERVER_ENABLED}). Without
 * it the engine is the spine alone: the channels, the journal and the outbound destinations, with FHIR
 * destinations by URL only.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ConditionalOnProperty(prefix = "carebus.fhir.server", name = "enabled", havingValue = "true", matchIfMissing = true)
public @interface ConditionalOnFhirServer {
}
