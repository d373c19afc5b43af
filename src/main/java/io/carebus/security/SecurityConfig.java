package io.carebus.security;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.carebus.config.CarebusProperties;
import io.carebus.journal.JournalRepository;
import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

/**
 * Who may do what on the HTTP port. Roles: ANALYST (search, view, replay, Hawtio to watch: Jolokia read, list,
 * search and version only, see {@link JolokiaAccessFilter}) and ENGINEER (everything).
 * Users come from carebus.security.users; passwords only from the environment (a missing one is generated at
 * start-up and printed once, for development).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

    public static final String ANALYST = "ANALYST";
    public static final String ENGINEER = "ENGINEER";
    /** Reads the FHIR audit trail ({@code /api/audit/**}) and nothing else. */
    public static final String AUDITOR = "AUDITOR";

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

    @Bean
    SecurityFilterChain carebusSecurity(HttpSecurity http, ObjectProvider<JournalRepository> journal)
            throws Exception {
        http.authorizeHttpRequests(auth -> auth
                        // Servlet 6.0 §10.9.2: the error page is a second dispatch of a request already authorized
                        // (or refused with 401/403); judged again as /error it read as 403 for analysts' failures
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers("/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html").permitAll()
                        .requestMatchers("/api/admin/**").hasRole(ENGINEER)
                        .requestMatchers(HttpMethod.GET, "/api/audit/**").hasAnyRole(AUDITOR, ENGINEER)
                        .requestMatchers(HttpMethod.GET, "/api/**").hasAnyRole(ANALYST, ENGINEER)
                        .requestMatchers("/api/journal/**", "/api/dead-letters/**").hasAnyRole(ANALYST, ENGINEER)
                        .requestMatchers("/api/x12/**", "/api/fhir/to-x12/**").hasAnyRole(ANALYST, ENGINEER)
                        .requestMatchers("/api/convert/**").hasAnyRole(ANALYST, ENGINEER)
                        // Hawtio's proxy to other JVMs' agents: not needed to watch this engine
                        .requestMatchers("/actuator/hawtio/proxy/**").hasRole(ENGINEER)
                        .requestMatchers("/actuator/**").hasAnyRole(ANALYST, ENGINEER)
                        .anyRequest().hasRole(ENGINEER))
                // Jolokia exec and write (JMX operations, attribute changes) only for ENGINEER
                .addFilterAfter(new JolokiaAccessFilter(journal.stream().findFirst().map(EngineerJmxAudit::new).orElse(null)),
                        AuthorizationFilter.class)
                .httpBasic(Customizer.withDefaults())
                // Basic-auth API and Jolokia calls carry no session cookie to forge.
                .csrf(csrf -> csrf.ignoringRequestMatchers("/api/**", "/actuator/**", "/fhir/**"));
        return http.build();
    }

    /** Tells Hawtio's console which operations the user may run, so analysts are not offered the others. */
    @Bean
    HawtioInvokeRights hawtioInvokeRights() {
        return new HawtioInvokeRights();
    }

    /** The URLs callers choose that the engine may call: carebus.security.outbound-urls. */
    @Bean
    OutboundUrlPolicy outboundUrlPolicy(CarebusProperties properties) {
        CarebusProperties.OutboundUrls urls = properties.getSecurity().getOutboundUrls();
        if (urls.isAllowHttp() || urls.isAllowPrivateAddresses()) {
            log.warn("Outbound URLs chosen by callers (jwks_uri, rest-hook endpoints) may use {}{}{}",
                    urls.isAllowHttp() ? "plain http" : "",
                    urls.isAllowHttp() && urls.isAllowPrivateAddresses() ? " and " : "",
                    urls.isAllowPrivateAddresses() ? "local and private addresses" : "");
        }
        return new OutboundUrlPolicy(urls.isAllowHttp(), urls.isAllowPrivateAddresses());
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    InMemoryUserDetailsManager carebusUsers(CarebusProperties properties, PasswordEncoder encoder) {
        List<UserDetails> users = new ArrayList<>();
        for (CarebusProperties.User user : properties.getSecurity().getUsers()) {
            String password = user.getPassword();
            if (password == null || password.isBlank()) {
                byte[] random = new byte[12];
                new SecureRandom().nextBytes(random);
                password = HexFormat.of().formatHex(random);
                log.warn("No password configured for user '{}': generated one for this run: {} "
                        + "(set it from the environment in any real deployment)", user.getName(), password);
            }
            users.add(User.withUsername(user.getName()).password(encoder.encode(password))
                    .roles(user.getRoles().toArray(String[]::new)).build());
        }
        return new InMemoryUserDetailsManager(users);
    }
}
