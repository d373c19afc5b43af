package io.carebus.fhir.smart;

import io.carebus.fhir.ConditionalOnFhirServer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

/**
 * Who may call the FHIR API and the authorization server. Ordered before the engine's own chain
 * ({@code io.carebus.security.SecurityConfig}), which keeps everything else.
 */
@ConditionalOnFhirServer
@Configuration(proxyBeanMethods = false)
public class SmartSecurityConfig {

    private static final PathPatternRequestMatcher.Builder PATHS = PathPatternRequestMatcher.withDefaults();

    /**
     * /fhir/**: a bearer access token issued here, or an ENGINEER with basic auth (operations; full user/*.cruds
     * access). The capability statement and SMART discovery are public (SMART App Launch 2.x §Conformance).
     */
    @Bean
    @Order(1)
    SecurityFilterChain smartFhirSecurity(HttpSecurity http, JwtDecoder smartAccessTokenDecoder) throws Exception {
        http.securityMatcher(PATHS.matcher("/fhir/**"))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(PATHS.matcher("/fhir/metadata"), PATHS.matcher("/fhir/.well-known/**")).permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(rs -> rs.jwt(jwt -> jwt.decoder(smartAccessTokenDecoder)))
                .httpBasic(Customizer.withDefaults())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // bearer tokens and basic auth: no cookie for a cross-site request to ride on
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    /**
     * /auth/** and discovery: the endpoints check their callers themselves (client assertions, initial access
     * token, ENGINEER basic auth for introspection and registration). The login form keeps CSRF protection; the
     * token, registration and introspection endpoints are called by programs with no session and are exempt.
     */
    @Bean
    @Order(2)
    SecurityFilterChain smartAuthSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher(new OrRequestMatcher(PATHS.matcher("/auth/**"), PATHS.matcher("/.well-known/**")))
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                .csrf(csrf -> csrf.ignoringRequestMatchers(PATHS.matcher(SmartUrls.TOKEN), PATHS.matcher(SmartUrls.REGISTER),
                        PATHS.matcher(SmartUrls.INTROSPECT)))
                // a plain 403 (a container error page would go to /error, which is behind the engine's own chain)
                .exceptionHandling(e -> e.accessDeniedHandler((request, response, denied) -> {
                    response.setStatus(403);
                    response.setContentType("text/plain;charset=UTF-8");
                    response.getWriter().write("Forbidden: the sign-in form expired or was not sent by this page. Start again.");
                }));
        return http.build();
    }
}
