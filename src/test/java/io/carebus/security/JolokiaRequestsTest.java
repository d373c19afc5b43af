package io.carebus.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * Requests read the way the Jolokia agent reads them; whatever cannot be read for certain is not for analysts, and
 * of the exec operations only those Hawtio draws its views with are.
 */
class JolokiaRequestsTest {

    private static final String CONTEXT = "org.apache.camel:context=carebus,type=context,name=\"carebus\"";
    private static final String ROUTE = "org.apache.camel:context=carebus,type=routes,name=\"inbound-mllp-hl7v2\"";
    private static final String QUEUE = "org.apache.activemq.artemis:broker=\"localhost\",component=addresses,"
            + "address=\"q\",subcomponent=queues,routing-type=\"anycast\",queue=\"q\"";

    @Test
    void aGetNamesItsTypeInThePathOrInPWhenThePathIsEmpty() {
        assertThat(types(JolokiaRequests.ofGet("/read/java.lang:type=Memory/HeapMemoryUsage", List.of())))
                .containsExactly("read");
        assertThat(types(JolokiaRequests.ofGet("", List.of()))).containsExactly("version");
        assertThat(types(JolokiaRequests.ofGet("///", List.of("/EXEC/java.lang:type=Memory/gc"))))
                .containsExactly("exec");
        assertThat(types(JolokiaRequests.ofGet("/read/x", List.of("/exec/x")))).containsExactly("read", "exec");
        // an escaped slash stays in the element: "read/x" is no type, so not read-only
        assertThat(JolokiaRequests.forAnalysts(JolokiaRequests.ofGet("/read!/x/y", List.of()))).isFalse();
        assertThat(JolokiaRequests.forAnalysts(JolokiaRequests.ofGet("//read/x", List.of()))).isFalse();
        // an exec by GET is refused even for an operation a POST may run
        assertThat(JolokiaRequests.forAnalysts(JolokiaRequests.ofGet("/exec/" + CONTEXT + "/dumpRoutesAsXml()",
                List.of()))).isFalse();
    }

    @Test
    void aPostNamesOneTypePerRequestOfABulk() {
        assertThat(types(JolokiaRequests.ofPost("{\"type\":\"Read\",\"mbean\":\"x:a=b\"}"))).containsExactly("read");
        assertThat(types(JolokiaRequests.ofPost("[{\"type\":\"list\"},{\"type\":\"write\"}]")))
                .containsExactly("list", "write");
        assertThat(JolokiaRequests.forAnalysts(JolokiaRequests.ofPost(
                "[{\"type\":\"version\"},{\"type\":\"search\",\"mbean\":\"*:*\"}]"))).isTrue();
        assertThat(JolokiaRequests.ofPost("{\"type\":\"exec\",\"mbean\":\"a:b=c\",\"operation\":\"op(int)\","
                + "\"arguments\":[1,2]}"))
                .contains(List.of(new JolokiaRequests.Request("exec", "a:b=c", "op(int)", 2)));
        assertThat(JolokiaRequests.ofPost("{\"type\":\"exec\",\"mbean\":\"a:b=c\",\"operation\":\"op\","
                + "\"arguments\":\"x\"}")).contains(List.of(new JolokiaRequests.Request("exec", "a:b=c", "op", 1)));
    }

    @Test
    void whatCannotBeReadForCertainIsNotForAnalysts() {
        for (String body : List.of("", "[]", "not json", "{\"mbean\":\"x:a=b\"}", "{\"type\":7}", "[\"read\"]",
                "{\"type\":\"read\",\"type\":\"exec\"}", "[{\"type\":\"read\"},{}]",
                "{\"type\":\"read\",\"mbean\":\"x:a=b\"} {\"type\":\"exec\"}",
                // the JSR-160 proxy: a read on a JMX server the client names
                "{\"type\":\"read\",\"mbean\":\"x:a=b\","
                        + "\"target\":{\"url\":\"service:jmx:rmi:///jndi/rmi://h:1/jmxrmi\"}}",
                "{\"type\":\"read\",\"mbean\":\"x:a=b\",\"options\":{\"target\":{\"url\":\"service:jmx:rmi://h\"}}}")) {
            assertThat(JolokiaRequests.forAnalysts(JolokiaRequests.ofPost(body))).as(body).isFalse();
        }
    }

    @Test
    void analystsRunTheOperationsHawtioDrawsItsViewsWith() {
        for (String[] exec : List.of(
                new String[] {CONTEXT, "dumpRoutesAsXml()", "0"},
                new String[] {"org.apache.camel:type=context,name=\"carebus\",context=carebus", "dumpRoutesStatsAsXml",
                        "2"},
                new String[] {CONTEXT, "componentNames()", "0"},
                new String[] {ROUTE, "dumpRouteStatsAsXml(boolean,boolean)", "2"},
                new String[] {ROUTE, "isUpdateRouteEnabled()", "0"},
                new String[] {"hawtio:type=security,name=RBACRegistry", "list()", "0"},
                new String[] {"hawtio:type=security,name=RBACRegistry", "list(java.lang.String)", "1"},
                new String[] {"hawtio:area=jmx,name=HawtioDummyJMXSecurity,type=security", "canInvoke(java.util.Map)",
                        "1"},
                new String[] {"java.lang:type=Threading", "dumpAllThreads(boolean, boolean)", "2"})) {
            assertThat(JolokiaAnalystOperations.allows(exec[0], exec[1], Integer.parseInt(exec[2])))
                    .as("%s %s", exec[0], exec[1]).isTrue();
        }
    }

    @Test
    void everyOtherOperationIsForEngineers() {
        for (String[] exec : List.of(
                // resolvePlaceholders would show configuration values
                new String[] {CONTEXT, "dumpRoutesAsXml(boolean)", "1"},
                new String[] {CONTEXT, "dumpRoutesAsXml", "2"},
                new String[] {CONTEXT, "dumpRoutesAsXml(boolean)", "0"},
                new String[] {CONTEXT, " dumpRoutesAsXml()", "0"},
                // changes and content
                new String[] {CONTEXT, "stop()", "0"},
                new String[] {CONTEXT, "sendStringBody(java.lang.String,java.lang.String)", "2"},
                new String[] {ROUTE, "stop()", "0"},
                new String[] {ROUTE, "updateRouteFromXml(java.lang.String)", "1"},
                new String[] {QUEUE, "browse()", "0"},
                new String[] {QUEUE, "removeAllMessages()", "0"},
                new String[] {"org.apache.camel:context=carebus,type=tracer,name=BacklogTracer",
                        "dumpAllTracedMessagesAsXml()", "0"},
                // an allowed name on another MBean, or on a pattern
                new String[] {QUEUE, "list()", "0"},
                new String[] {"org.apache.camel:type=routes,*", "dumpRouteStatsAsXml", "2"},
                new String[] {"org.apache.camel:type=*", "dumpRoutesAsXml()", "0"},
                new String[] {"org.apache.camel:context=carebus,type=\"context\",name=\"carebus\"", "dumpRoutesAsXml()",
                        "0"},
                new String[] {"org.apache.camel:context=carebus,name=DefaultRuntimeEndpointRegistry,type=services",
                        "endpointStatistics()", "0"},
                new String[] {"not an mbean", "dumpRoutesAsXml()", "0"},
                new String[] {CONTEXT, null, "0"},
                new String[] {null, "list()", "0"})) {
            assertThat(JolokiaAnalystOperations.allows(exec[0], exec[1], Integer.parseInt(exec[2])))
                    .as("%s %s", exec[0], exec[1]).isFalse();
        }
        assertThat(JolokiaRequests.forAnalysts(JolokiaRequests.ofPost("[{\"type\":\"exec\",\"mbean\":\"" + CONTEXT
                .replace("\"", "\\\"") + "\",\"operation\":\"dumpRoutesAsXml()\"},{\"type\":\"exec\",\"mbean\":\""
                + ROUTE.replace("\"", "\\\"") + "\",\"operation\":\"stop()\"}]"))).isFalse();
    }

    private static List<String> types(Optional<List<JolokiaRequests.Request>> requests) {
        return requests.orElseThrow().stream().map(JolokiaRequests.Request::type).toList();
    }
}
