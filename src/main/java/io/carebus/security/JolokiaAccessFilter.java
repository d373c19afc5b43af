package io.carebus.security;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Jolokia (the JMX bridge behind Hawtio) for analysts is read-only: they watch routes, throughput, errors and queue
 * depth (Jolokia read, list, search, version, and the few exec operations Hawtio draws its JMX tree and route
 * diagram with, {@link JolokiaAnalystOperations}), while other exec and write (stopping a route, removing or sending
 * broker messages, browsing queue contents) are for ENGINEER only. Message content is for the admin API, whose
 * every view is audited: an analyst's answers come without it ({@link JolokiaContentRedaction}). Runs after Spring
 * Security's authorization, which already admits only ANALYST and ENGINEER here.
 *
 * <p>Covers both ways into the agent: {@code /actuator/jolokia} and Hawtio's {@code /actuator/hawtio/jolokia},
 * which Hawtio forwards to the agent (a forward the security filters do not see again).
 */
final class JolokiaAccessFilter extends OncePerRequestFilter {

    private final EngineerJmxAudit engineerAudit;

    /** @param engineerAudit records engineers' operations; null when the engine has no journal */
    JolokiaAccessFilter(EngineerJmxAudit engineerAudit) {
        this.engineerAudit = engineerAudit;
    }

    static final List<String> AGENT_PATHS = List.of("/actuator/jolokia", "/actuator/hawtio/jolokia");
    /** The largest POST body read to find its request types; a larger one from an analyst is refused. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(JolokiaAccessFilter.class);

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return agentPath(request).isEmpty();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        String method = request.getMethod();
        if (isEngineer(user)) {
            asEngineer(request, response, chain, user, method);
            return;
        }
        if ("GET".equals(method) || "HEAD".equals(method)) {
            List<String> p = request.getParameterValues("p") == null ? List.of()
                    : Arrays.asList(request.getParameterValues("p"));
            check(JolokiaRequests.ofGet(agentPath(request).orElseThrow(), p), user, method);
            withoutContent(request, response, chain);
        } else if ("POST".equals(method)) {
            byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                deny(user, method, "a body larger than " + MAX_BODY_BYTES + " bytes");
            }
            check(charset(request).map(cs -> new String(body, cs)).flatMap(JolokiaRequests::ofPost), user, method);
            withoutContent(new ReadBody(request, body), response, chain);
        } else {
            deny(user, method, "HTTP " + method);
        }
    }

    /** Everything is allowed; what goes beyond an analyst's requests is audited first ({@link EngineerJmxAudit}). */
    private void asEngineer(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
                            Authentication user, String method) throws ServletException, IOException {
        if (engineerAudit == null) {
            chain.doFilter(request, response);
        } else if ("POST".equals(method)) {
            byte[] body = request.getInputStream().readAllBytes();
            engineerAudit.record(user.getName(),
                    charset(request).map(cs -> new String(body, cs)).flatMap(JolokiaRequests::ofPost), null);
            chain.doFilter(new ReadBody(request, body), response);
        } else {
            if ("GET".equals(method)) {
                List<String> p = request.getParameterValues("p") == null ? List.of()
                        : Arrays.asList(request.getParameterValues("p"));
                String path = agentPath(request).orElseThrow();
                // a GET names its MBean and operation in the path (or a p parameter), which tells them best
                engineerAudit.record(user.getName(), JolokiaRequests.ofGet(path, p),
                        path.isEmpty() || path.matches("/*") ? String.join(" ", p) : path);
            }
            chain.doFilter(request, response);
        }
    }

    /** Runs the agent into a buffer and sends its answer without message content ({@link JolokiaContentRedaction}). */
    private static void withoutContent(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper buffered = new ContentCachingResponseWrapper(response);
        chain.doFilter(request, buffered);
        byte[] answer = JolokiaContentRedaction.redact(buffered.getContentAsByteArray());
        response.setContentLength(answer.length);
        response.getOutputStream().write(answer);
    }

    private static void check(Optional<List<JolokiaRequests.Request>> requests, Authentication user, String method) {
        if (!JolokiaRequests.forAnalysts(requests)) {
            deny(user, method, requests.map(JolokiaAccessFilter::describe).orElse("an unreadable request"));
        }
    }

    /** The requests' types, and for an exec its operation (MBean names can be long; the operation tells enough). */
    private static String describe(List<JolokiaRequests.Request> requests) {
        String described = requests.stream()
                .map(r -> r.operation() == null ? r.type() : r.type() + " " + r.operation()).toList().toString();
        return printable(described, 200);
    }

    /** The client's own strings for a log or the audit: no line breaks, no control characters, not without end. */
    static String printable(String text, int max) {
        String printable = text.replaceAll("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]", "?");
        return printable.length() > max ? printable.substring(0, max) + "…" : printable;
    }

    private static void deny(Authentication user, String method, String what) {
        log.info("Refused Jolokia {} {} to user {}: other operations and writes are for ENGINEER", method, what,
                user == null ? "-" : user.getName());
        throw new AccessDeniedException(
                "Jolokia: only read, list, search, version and console views without the ENGINEER role");
    }

    static boolean isEngineer(Authentication user) {
        return user != null && user.getAuthorities().stream()
                .anyMatch(a -> ("ROLE_" + SecurityConfig.ENGINEER).equals(a.getAuthority()));
    }

    /** The charset the agent reads the body in (UTF-8 unless the request says otherwise); empty if unknown. */
    private static Optional<Charset> charset(HttpServletRequest request) {
        String name = request.getCharacterEncoding();
        try {
            return Optional.of(name == null ? StandardCharsets.UTF_8 : Charset.forName(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The path after the agent's own path, when the request goes to the agent: from the servlet path and path
     * info, which the container has decoded and normalised, as the agent reads them.
     */
    private static Optional<String> agentPath(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        for (String agent : AGENT_PATHS) {
            if (path.equals(agent) || path.startsWith(agent + "/")) {
                return Optional.of(path.substring(agent.length()));
            }
        }
        return Optional.empty();
    }

    /** The request with its body read once here, and replayed to the agent. */
    private static final class ReadBody extends HttpServletRequestWrapper {

        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("blocking reads only");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(),
                    charset(this).orElse(StandardCharsets.UTF_8)));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
