package io.carebus.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

/** Hawtio's questions answered for the user of the request, in each of the forms Hawtio may ask them. */
class HawtioInvokeRightsTest {

    private static final String CONTEXT = "org.apache.camel:context=carebus,type=context,name=\"carebus\"";
    private static final String ROUTE = "org.apache.camel:context=carebus,type=routes,name=\"inbound-mllp-hl7v2\"";

    private final HawtioInvokeRights rights = new HawtioInvokeRights();

    @AfterEach
    void noUser() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void withoutAUserNothingMayBeInvoked() throws Exception {
        assertThat(rights.canInvoke(ROUTE)).isFalse();
        assertThat(rights.canInvoke(CONTEXT, "dumpRoutesAsXml")).isFalse();
        assertThat(rights.canInvoke(CONTEXT, "dumpRoutesAsXml", new String[0])).isFalse();
        assertThat(answers(rights.canInvoke(Map.of(CONTEXT, List.of("dumpRoutesAsXml()"))))).containsEntry(
                CONTEXT + " dumpRoutesAsXml()", false);
    }

    @Test
    void anAnalystIsOfferedTheConsoleViewsOnly() throws Exception {
        as(SecurityConfig.ANALYST);
        assertThat(rights.canInvoke(ROUTE)).isTrue();
        // by name alone: offered when some signature may be run
        assertThat(rights.canInvoke(CONTEXT, "dumpRoutesAsXml")).isTrue();
        assertThat(rights.canInvoke(ROUTE, "dumpRouteStatsAsXml")).isTrue();
        assertThat(rights.canInvoke(ROUTE, "stop")).isFalse();
        assertThat(rights.canInvoke(ROUTE, "dumpRouteStatsAsXml", null)).isTrue();
        assertThat(rights.canInvoke(CONTEXT, "dumpRoutesAsXml", new String[] {"boolean"})).isFalse();
        assertThat(rights.canInvoke(ROUTE, "dumpRouteStatsAsXml", new String[] {"boolean", "boolean"})).isTrue();

        List<String> asked = new ArrayList<>(Arrays.asList("stop()", "dumpRoutesAsXml()", "stop()", null));
        Map<String, List<String>> query = new HashMap<>();
        query.put(CONTEXT, asked);
        query.put(ROUTE, List.of());
        query.put("java.lang:type=Threading", List.of("dumpAllThreads(boolean, boolean)"));
        assertThat(answers(rights.canInvoke(query))).containsExactlyInAnyOrderEntriesOf(Map.of(
                CONTEXT + " stop()", false,
                CONTEXT + " dumpRoutesAsXml()", true,
                ROUTE + " ", true,
                "java.lang:type=Threading dumpAllThreads(boolean, boolean)", true));
    }

    @Test
    void anEngineerMayInvokeEverything() throws Exception {
        as(SecurityConfig.ENGINEER);
        assertThat(rights.canInvoke(ROUTE, "stop")).isTrue();
        assertThat(rights.canInvoke(CONTEXT, "dumpRoutesAsXml", new String[] {"boolean"})).isTrue();
        assertThat(answers(rights.canInvoke(Map.of(ROUTE, List.of("stop()", "remove()")))).values())
                .containsOnly(true);
    }

    private static void as(String role) {
        SecurityContextHolder.getContext().setAuthentication(
                new TestingAuthenticationToken(role.toLowerCase(), "x", "ROLE_" + role));
    }

    /** "mbean method" → may invoke. */
    private static Map<String, Boolean> answers(TabularData table) {
        Map<String, Boolean> answers = new HashMap<>();
        for (Object row : table.values()) {
            CompositeData data = (CompositeData) row;
            answers.put(data.get("ObjectName") + " " + data.get("Method"), (Boolean) data.get("CanInvoke"));
        }
        return answers;
    }
}
