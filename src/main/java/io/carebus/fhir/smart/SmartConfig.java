package io.carebus.fhir.smart;

import io.carebus.fhir.ConditionalOnFhirServer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

import io.carebus.config.CarebusProperties;
import io.carebus.security.OutboundUrlPolicy;
import jakarta.servlet.Filter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/** The SMART on FHIR authorization server's parts (carebus.smart.*). */
@ConditionalOnFhirServer
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SmartProperties.class)
public class SmartConfig {

    private static final Clock CLOCK = Clock.systemUTC();

    @Bean
    SmartUrls smartUrls(SmartProperties properties, @Value("${carebus.fhir.base-url:}") String fhirBaseUrl,
                        @Value("${server.servlet.context-path:}") String contextPath) {
        return new SmartUrls(properties.getBaseUrl(), fhirBaseUrl, contextPath);
    }

    @Bean
    SmartSigningKey smartSigningKey(SmartProperties properties, CarebusProperties carebus) throws IOException {
        return SmartSigningKey.from(properties.getSigningKey(), carebus.getDataDir());
    }

    @Bean
    SmartClientRegistry smartClientRegistry(SmartProperties properties, JdbcTemplate jdbc) {
        return new SmartClientRegistry(properties, jdbc);
    }

    @Bean
    ClientKeys smartClientKeys(SmartProperties properties, OutboundUrlPolicy outboundUrls) {
        return new ClientKeys(properties.getJwksCacheTtl(), properties.getJwksFetchTimeout(), outboundUrls);
    }

    @Bean
    UsedJtiStore smartUsedJtiStore(JdbcTemplate jdbc) {
        return new UsedJtiStore(jdbc, CLOCK);
    }

    @Bean
    ClientAssertionVerifier smartClientAssertionVerifier(SmartClientRegistry clients, ClientKeys keys,
                                                         UsedJtiStore usedJti, SmartUrls urls) {
        return new ClientAssertionVerifier(clients, keys, usedJti, urls, CLOCK);
    }

    @Bean
    AccessTokenIssuer smartAccessTokenIssuer(SmartSigningKey key, SmartUrls urls, SmartProperties properties) {
        return new AccessTokenIssuer(key, urls, properties.getAccessTokenLifetime(), CLOCK);
    }

    @Bean
    AuthorizationCodes smartAuthorizationCodes(JdbcTemplate jdbc, SmartProperties properties) {
        return new AuthorizationCodes(jdbc, properties.getAuthorizationCodeLifetime(), CLOCK);
    }

    @Bean
    RefreshTokens smartRefreshTokens(JdbcTemplate jdbc) {
        return new RefreshTokens(jdbc, CLOCK);
    }

    @Bean
    SmartUsers smartUsers(SmartProperties properties, PasswordEncoder encoder) {
        return new SmartUsers(properties.getUsers(), encoder);
    }

    /** Validates bearer tokens on /fhir/** (and for introspection). */
    @Bean
    JwtDecoder smartAccessTokenDecoder(SmartSigningKey key, SmartUrls urls) {
        // access tokens live at most 5 minutes: that is also the longest one stays remembered
        return new VerifiedTokenCache(AccessTokenDecoder.create(key, urls), Clock.systemUTC(), 10_000,
                Duration.ofMinutes(5));
    }

    /**
     * SMART discovery under the FHIR base: the FHIR servlet owns /fhir/*, so this filter hands the request to the
     * discovery endpoint before it gets there.
     */
    @Bean
    FilterRegistrationBean<Filter> smartConfigurationUnderFhirBase() {
        Filter forward = (request, response, chain) ->
                request.getRequestDispatcher(SmartConfigurationEndpoint.WELL_KNOWN).forward(request, response);
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(forward);
        registration.addUrlPatterns(SmartConfigurationEndpoint.FHIR_WELL_KNOWN);
        registration.setName("smartConfigurationUnderFhirBase");
        return registration;
    }
}
