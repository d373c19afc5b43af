package io.carebus.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.carebus.support.EngineTestBase;
import jakarta.jms.ConnectionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jms.core.JmsTemplate;

/**
 * Jolokia over real HTTP: an analyst watches (read, list, search, version, Hawtio's tree and route diagram) and is
 * refused every other JMX operation and attribute change, by GET path, the {@code p} parameter, a POST body or a bulk POST, through the agent or through
 * Hawtio's path to it; an engineer may run them.
 */
class JolokiaAccessTest extends EngineTestBase {

    private static final String ROUTE_MBEAN = "org.apache.camel:context=carebus,type=routes,name=\"inbound-mllp-hl7v2\"";
    private static final String CONTEXT_MBEAN = "org.apache.camel:context=carebus,type=context,name=\"carebus\"";

    private static final String SECRET = "PID-5 DOE^JANE is not valid";

    /** A queue of this test's own, holding one message. */
    private final String queue = "carebus.test.jolokia." + java.util.UUID.randomUUID();
    private final String queueMbean = "org.apache.activemq.artemis:broker=\"localhost\",component=addresses,"
            + "address=\"" + queue + "\",subcomponent=queues,routing-type=\"anycast\",queue=\"" + queue + "\"";

    @Autowired
    TestRestTemplate http;
    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @BeforeEach
    void oneMessageOnTheTestQueue() {
        new JmsTemplate(connectionFactory).convertAndSend(queue, "not for analysts' eyes", message -> {
            message.setStringProperty("CarebusError", SECRET);   // a dead letter's error text may quote the message
            return message;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> messageCount() == 1);
    }

    @Test
    void anAnalystReadsCamelAndArtemisAttributes() {
        Map<?, ?> queue = post(ANALYST, Map.of("type", "read", "mbean", queueMbean, "attribute", "MessageCount"));
        assertThat(queue.get("status")).isEqualTo(200);
        assertThat(queue.get("value")).isEqualTo(1);

        Map<?, ?> route = post(ANALYST, Map.of("type", "read", "mbean", ROUTE_MBEAN, "attribute", "State"));
        assertThat(route.get("status")).isEqualTo(200);
        assertThat(route.get("value")).isEqualTo("Started");

        ResponseEntity<Map> get = analyst().getForEntity("/actuator/jolokia/read/java.lang:type=Memory/HeapMemoryUsage",
                Map.class);
        assertThat(get.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(get.getBody().get("status")).isEqualTo(200);
    }

    /**
     * No read shows an analyst message content: a queue's FirstMessageAsJSON by name is refused (POST, GET, bulk),
     * and all of the queue's attributes, or a pattern read, come without it. An engineer, who may browse queues,
     * reads it.
     */
    @Test
    void anAnalystReadsNoMessageContent() {
        Map<?, ?> byName = post(ANALYST, Map.of("type", "read", "mbean", queueMbean, "attribute", "FirstMessageAsJSON"));
        assertThat(byName.get("status")).isEqualTo(403);
        assertThat(String.valueOf(byName)).doesNotContain(SECRET);

        Map<?, ?> all = post(ANALYST, Map.of("type", "read", "mbean", queueMbean));
        assertThat(all.get("status")).isEqualTo(200);
        assertThat(((Map<?, ?>) all.get("value")).keySet().stream().map(String::valueOf).toList())
                .contains("MessageCount", "FirstMessageTimestamp").doesNotContain("FirstMessageAsJSON");

        ResponseEntity<List> bulk = analyst().postForEntity("/actuator/jolokia", json(List.of(
                Map.of("type", "read", "mbean", queueMbean, "attribute", List.of("MessageCount", "FirstMessageAsJSON")),
                Map.of("type", "read", "mbean", "org.apache.activemq.artemis:queue=*,*"),
                Map.of("type", "read", "mbean", queueMbean, "attribute", "firstmessageasjson"))), List.class);
        assertThat(bulk.getBody()).hasSize(3);
        assertThat(((Map<?, ?>) bulk.getBody().get(2)).get("status")).isEqualTo(403);
        ResponseEntity<String> get = analyst().getForEntity(
                "/actuator/jolokia/read/" + queueMbean.replace("\"", "!\"") + "/FirstMessageAsJSON", String.class);
        ResponseEntity<String> hawtio = analyst().getForEntity(
                "/actuator/hawtio/jolokia/read/" + queueMbean.replace("\"", "!\""), String.class);
        assertThat(get.getBody()).contains("\"status\":403");
        // without the request echoed, an answer does not say which attribute it is: refused
        ResponseEntity<String> bare = analyst().getForEntity("/actuator/jolokia/read/" + queueMbean.replace("\"", "!\"")
                + "/FirstMessageAsJSON?includeRequest=false", String.class);
        assertThat(bare.getBody()).contains("\"status\":403").doesNotContain(SECRET);
        Map<?, ?> bareBody = post(ANALYST, Map.of("type", "read", "mbean", queueMbean,
                "attribute", "FirstMessageAsJSON", "config", Map.of("includeRequest", false)));
        assertThat(bareBody.get("status")).isEqualTo(403);
        assertThat(String.valueOf(bareBody)).doesNotContain(SECRET);
        for (String answer : List.of(String.valueOf(bulk.getBody()), String.valueOf(all), hawtio.getBody())) {
            assertThat(answer).contains("MessageCount");
        }
        for (String answer : List.of(String.valueOf(bulk.getBody()), String.valueOf(all), get.getBody(),
                hawtio.getBody())) {
            assertThat(answer).doesNotContain(SECRET);
        }

        Map<?, ?> engineer = post(ENGINEER, Map.of("type", "read", "mbean", queueMbean,
                "attribute", "FirstMessageAsJSON"));
        assertThat(engineer.get("status")).isEqualTo(200);
        assertThat(String.valueOf(engineer.get("value"))).contains(SECRET);
    }

    @Test
    void anAnalystListsSearchesAndReadsTheVersionInOneBulkRequest() {
        ResponseEntity<List> bulk = analyst().postForEntity("/actuator/jolokia", json(List.of(
                Map.of("type", "version"),
                Map.of("type", "search", "mbean", "org.apache.camel:type=routes,*"),
                Map.of("type", "list", "path", "org.apache.camel"),
                Map.of("type", "READ", "mbean", queueMbean, "attribute", "MessageCount"))), List.class);
        assertThat(bulk.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(bulk.getBody()).hasSize(4).allSatisfy(r -> assertThat(((Map<?, ?>) r).get("status")).isEqualTo(200));
        assertThat(analyst().getForEntity("/actuator/jolokia", Map.class).getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(analyst().getForEntity("/actuator/jolokia/version", Map.class).getStatusCode())
                .isEqualTo(HttpStatus.OK);
    }

    /**
     * Hawtio draws its JMX tree with the RBAC registry's list and the route diagram with dumpRoutesAsXml, in bulk
     * requests with reads: analysts get them, through Hawtio's path to the agent as through the agent's own.
     */
    @Test
    void anAnalystSeesHawtiosJmxTreeRouteDiagramAndStatistics() {
        ResponseEntity<List> bulk = analyst().postForEntity("/actuator/hawtio/jolokia", json(List.of(
                Map.of("type", "exec", "mbean", "hawtio:type=security,name=RBACRegistry", "operation", "list()"),
                Map.of("type", "exec", "mbean", CONTEXT_MBEAN, "operation", "dumpRoutesAsXml()"),
                Map.of("type", "exec", "mbean", CONTEXT_MBEAN, "operation", "dumpRoutesStatsAsXml",
                        "arguments", List.of(true, true)),
                Map.of("type", "exec", "mbean", ROUTE_MBEAN, "operation", "dumpRouteStatsAsXml(boolean,boolean)",
                        "arguments", List.of(false, true)),
                Map.of("type", "exec", "mbean", "hawtio:type=security,area=jmx,name=HawtioDummyJMXSecurity",
                        "operation", "canInvoke(java.lang.String)", "arguments", List.of(ROUTE_MBEAN)),
                Map.of("type", "read", "mbean", ROUTE_MBEAN, "attribute", "State"))), List.class);
        assertThat(bulk.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(bulk.getBody()).hasSize(6).allSatisfy(r -> assertThat(((Map<?, ?>) r).get("status")).isEqualTo(200));
        assertThat(String.valueOf(((Map<?, ?>) bulk.getBody().get(0)).get("value"))).contains("org.apache.camel");
        assertThat((String) ((Map<?, ?>) bulk.getBody().get(1)).get("value"))
                .contains("<route", "id=\"inbound-mllp-hl7v2\"", "{{carebus.mllp.port}}");
        assertThat((String) ((Map<?, ?>) bulk.getBody().get(2)).get("value")).contains("<camelContextStat");
        assertThat((String) ((Map<?, ?>) bulk.getBody().get(3)).get("value")).contains("<routeStat");

        // the same operations with what they must not show, or next to an operation that changes something
        Map<String, Object> resolved = Map.of("type", "exec", "mbean", CONTEXT_MBEAN,
                "operation", "dumpRoutesAsXml(boolean)", "arguments", List.of(true));
        Map<String, Object> diagram = Map.of("type", "exec", "mbean", CONTEXT_MBEAN, "operation", "dumpRoutesAsXml()");
        Map<String, Object> stop = Map.of("type", "exec", "mbean", ROUTE_MBEAN, "operation", "stop()");
        for (Object body : List.of(resolved, List.of(diagram, stop))) {
            assertThat(analyst().postForEntity("/actuator/hawtio/jolokia", json(body), String.class).getStatusCode())
                    .as("POST %s", body).isEqualTo(HttpStatus.FORBIDDEN);
        }
        assertThat(post(ANALYST, Map.of("type", "read", "mbean", ROUTE_MBEAN, "attribute", "State")).get("value"))
                .isEqualTo("Started");
    }

    /**
     * Hawtio asks the first security MBean that is not its dummy which operations to offer: the answer is the
     * agent's own rule for the user who asks.
     */
    @Test
    void hawtioOffersEachUserOnlyTheOperationsTheyMayRun() {
        Map<?, ?> found = post(ANALYST, Map.of("type", "search", "mbean", "*:type=security,area=jmx,*"));
        assertThat(String.valueOf(found.get("value"))).contains("HawtioDummyJMXSecurity", "name=CarebusInvokeRights");

        Map<String, Object> ask = Map.of("type", "exec", "mbean", HawtioInvokeRights.OBJECT_NAME,
                "operation", "canInvoke(java.util.Map)", "arguments", List.of(Map.of(
                        ROUTE_MBEAN, List.of("stop()", "dumpRouteStatsAsXml(boolean,boolean)"),
                        CONTEXT_MBEAN, List.of("dumpRoutesAsXml()", "dumpRoutesAsXml(boolean)"),
                        queueMbean, List.of("browse()", "removeAllMessages()"))));
        ResponseEntity<Map> viaHawtio = analyst().postForEntity("/actuator/hawtio/jolokia", json(ask), Map.class);
        assertThat(rights(viaHawtio.getBody())).containsExactlyInAnyOrderEntriesOf(Map.of(
                ROUTE_MBEAN + " stop()", false,
                ROUTE_MBEAN + " dumpRouteStatsAsXml(boolean,boolean)", true,
                CONTEXT_MBEAN + " dumpRoutesAsXml()", true,
                CONTEXT_MBEAN + " dumpRoutesAsXml(boolean)", false,
                queueMbean + " browse()", false,
                queueMbean + " removeAllMessages()", false));
        assertThat(rights(post(ENGINEER, ask)).values()).hasSize(6).containsOnly(true);

        Map<?, ?> one = post(ANALYST, Map.of("type", "exec", "mbean", HawtioInvokeRights.OBJECT_NAME,
                "operation", "canInvoke(java.lang.String,java.lang.String,[Ljava.lang.String;)",
                "arguments", List.of(ROUTE_MBEAN, "stop", List.of())));
        assertThat(one.get("value")).isEqualTo(false);
    }

    /** Hawtio's tabular answer (Jolokia: ObjectName → Method → row) as "mbean method" → may invoke. */
    private static Map<String, Boolean> rights(Map<?, ?> answer) {
        assertThat(answer.get("status")).as(String.valueOf(answer)).isEqualTo(200);
        Map<String, Boolean> rights = new java.util.HashMap<>();
        ((Map<?, ?>) answer.get("value")).forEach((mbean, methods) -> ((Map<?, ?>) methods).forEach((method, row) ->
                rights.put(mbean + " " + method, (Boolean) ((Map<?, ?>) row).get("CanInvoke"))));
        return rights;
    }

    @Test
    void anAnalystIsRefusedJmxOperationsAndWritesWhicheverWayTheyAreAsked() {
        Map<String, Object> removeAll = Map.of("type", "exec", "mbean", queueMbean, "operation", "removeAllMessages()");
        Map<String, Object> browse = Map.of("type", "EXEC", "mbean", queueMbean, "operation", "browse()");
        Map<String, Object> stopRoute = Map.of("type", "exec", "mbean", ROUTE_MBEAN, "operation", "stop()");
        Map<String, Object> write = Map.of("type", "write", "mbean", ROUTE_MBEAN, "attribute", "Tracing", "value", true);
        Map<String, Object> read = Map.of("type", "read", "mbean", queueMbean, "attribute", "MessageCount");

        Map<String, Object> proxied = Map.of("type", "read", "mbean", "java.lang:type=Memory", "attribute",
                "HeapMemoryUsage", "target", Map.of("url", "service:jmx:rmi:///jndi/rmi://localhost:1/jmxrmi"));
        for (Object body : List.of(removeAll, browse, stopRoute, write, List.of(read, removeAll), List.of(), proxied,
                Map.of("mbean", queueMbean), "{\"type\":\"read\",\"type\":\"exec\"}", "not json")) {
            for (String path : List.of("/actuator/jolokia", "/actuator/jolokia/read", "/actuator/hawtio/jolokia")) {
                assertThat(analyst().postForEntity(path, json(body), String.class).getStatusCode())
                        .as("POST %s %s", path, body).isEqualTo(HttpStatus.FORBIDDEN);
            }
        }
        for (String get : List.of("/actuator/jolokia/exec/" + queueMbean + "/removeAllMessages()",
                "/actuator/jolokia/EXEC/" + queueMbean + "/removeAllMessages()",
                "/actuator/jolokia/write/" + ROUTE_MBEAN + "/Tracing/true",
                "/actuator/jolokia?p=/exec/" + queueMbean + "/removeAllMessages()",
                "/actuator/jolokia/?p=exec/" + queueMbean + "/removeAllMessages()",
                "/actuator/hawtio/jolokia/exec/" + queueMbean + "/removeAllMessages()",
                "/actuator/hawtio/jolokia?p=/exec/" + queueMbean + "/removeAllMessages()",
                "/actuator/jolokia/notification/register")) {
            assertThat(analyst().exchange(get, HttpMethod.GET, null, String.class, Map.of()).getStatusCode())
                    .as("GET %s", get).isEqualTo(HttpStatus.FORBIDDEN);
        }
        assertThat(analyst().exchange("/actuator/hawtio/proxy/http/localhost/8080/actuator/jolokia", HttpMethod.GET,
                null, String.class).getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);

        assertThat(messageCount()).isEqualTo(1);                                   // nothing was removed
        assertThat(post(ANALYST, Map.of("type", "read", "mbean", ROUTE_MBEAN, "attribute", "State")).get("value"))
                .isEqualTo("Started");
    }

    /**
     * The agent has no JSR-160 proxy: a request naming another JMX server does not reach it, not even an engineer's
     * (an analyst's is refused outright, see above).
     */
    @Test
    void noOneReachesAnotherJmxServerThroughTheAgent() throws Exception {
        try (java.net.ServerSocket jmx = new java.net.ServerSocket(0)) {
            Map<?, ?> proxied = post(ENGINEER, Map.of("type", "read", "mbean", "java.lang:type=Memory",
                    "attribute", "HeapMemoryUsage", "target",
                    Map.of("url", "service:jmx:rmi:///jndi/rmi://localhost:" + jmx.getLocalPort() + "/jmxrmi")));
            // without the proxy the agent answers for this JVM and leaves the target alone
            assertThat(proxied.get("status")).isEqualTo(200);
            jmx.setSoTimeout(1);
            org.assertj.core.api.Assertions.assertThatThrownBy(jmx::accept)
                    .isInstanceOf(java.net.SocketTimeoutException.class);   // nothing connected to it
        }
    }

    @Test
    void anEngineerRunsJmxOperations() {
        Map<?, ?> removed = post(ENGINEER, Map.of("type", "exec", "mbean", queueMbean,
                "operation", "removeAllMessages()"));
        assertThat(removed.get("status")).isEqualTo(200);
        assertThat(removed.get("value")).isEqualTo(1);
        assertThat(messageCount()).isZero();

        ResponseEntity<Map> viaHawtio = engineer().getForEntity(
                "/actuator/hawtio/jolokia/exec/" + queueMbean + "/countMessages()", Map.class, Map.of());
        assertThat(viaHawtio.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(viaHawtio.getBody().get("status")).isEqualTo(200);
    }

    /** Browsing a queue shows message content: an engineer's operations are audited, Hawtio's polling is not. */
    @Test
    void anEngineersJmxOperationsAreAudited() {
        Map<?, ?> browsed = post(ENGINEER, Map.of("type", "exec", "mbean", queueMbean, "operation", "browse()"));
        assertThat(browsed.get("status")).isEqualTo(200);
        engineer().getForEntity("/actuator/hawtio/jolokia/exec/" + queueMbean + "/countMessages()", Map.class,
                Map.of());
        post(ENGINEER, Map.of("type", "exec", "mbean", CONTEXT_MBEAN, "operation", "dumpRoutesStatsAsXml"));

        List<String> audited = jdbc.queryForList(
                "SELECT action || ' ' || detail FROM journal_audit WHERE username = ? AND detail LIKE ? ORDER BY id",
                String.class, ENGINEER, "%" + queue + "%");
        assertThat(audited).hasSize(2);
        assertThat(audited.get(0)).startsWith("jmx-exec ").endsWith(" browse()");
        assertThat(audited.get(1)).startsWith("jmx-exec ").contains("countMessages()");
        assertThat(jdbc.queryForObject(
                "SELECT count(*) FROM journal_audit WHERE detail LIKE '%dumpRoutesStatsAsXml%'", Long.class))
                .as("Hawtio's statistics poll").isZero();
    }

    private static final String ANALYST = "analyst";
    private static final String ENGINEER = "engineer";

    private TestRestTemplate analyst() {
        return http.withBasicAuth(ANALYST, ANALYST_PASSWORD);
    }

    private TestRestTemplate engineer() {
        return http.withBasicAuth(ENGINEER, ENGINEER_PASSWORD);
    }

    private Map<?, ?> post(String user, Object request) {
        TestRestTemplate as = ANALYST.equals(user) ? analyst() : engineer();
        ResponseEntity<Map> response = as.postForEntity("/actuator/jolokia", json(request), Map.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        return response.getBody();
    }

    private long messageCount() {
        Map<?, ?> read = post(ENGINEER, Map.of("type", "read", "mbean", queueMbean, "attribute", "MessageCount"));
        return ((Number) read.get("value")).longValue();
    }

    private static HttpEntity<Object> json(Object body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return new HttpEntity<>(body, headers);
    }
}
