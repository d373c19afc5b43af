package io.carebus.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Request types read the way the Jolokia agent reads them; whatever cannot be read for certain is not read-only. */
class JolokiaRequestTypesTest {

    @Test
    void aGetNamesItsTypeInThePathOrInPWhenThePathIsEmpty() {
        assertThat(JolokiaRequestTypes.ofGet("/read/java.lang:type=Memory/HeapMemoryUsage", List.of()))
                .contains(List.of("read"));
        assertThat(JolokiaRequestTypes.ofGet("", List.of())).contains(List.of("version"));
        assertThat(JolokiaRequestTypes.ofGet("///", List.of("/EXEC/java.lang:type=Memory/gc")))
                .contains(List.of("exec"));
        assertThat(JolokiaRequestTypes.ofGet("/read/x", List.of("/exec/x"))).contains(List.of("read", "exec"));
        // an escaped slash stays in the element: "read/x" is no type, so not read-only
        assertThat(JolokiaRequestTypes.readOnly(JolokiaRequestTypes.ofGet("/read!/x/y", List.of()))).isFalse();
        assertThat(JolokiaRequestTypes.readOnly(JolokiaRequestTypes.ofGet("//read/x", List.of()))).isFalse();
    }

    @Test
    void aPostNamesOneTypePerRequestOfABulk() {
        assertThat(JolokiaRequestTypes.ofPost("{\"type\":\"Read\",\"mbean\":\"x:a=b\"}")).contains(List.of("read"));
        assertThat(JolokiaRequestTypes.ofPost("[{\"type\":\"list\"},{\"type\":\"write\"}]"))
                .contains(List.of("list", "write"));
        assertThat(JolokiaRequestTypes.readOnly(JolokiaRequestTypes.ofPost(
                "[{\"type\":\"version\"},{\"type\":\"search\",\"mbean\":\"*:*\"}]"))).isTrue();
    }

    @Test
    void whatCannotBeReadForCertainIsNotReadOnly() {
        for (String body : List.of("", "[]", "not json", "{\"mbean\":\"x:a=b\"}", "{\"type\":7}", "[\"read\"]",
                "{\"type\":\"read\",\"type\":\"exec\"}", "[{\"type\":\"read\"},{}]")) {
            Optional<List<String>> types = JolokiaRequestTypes.ofPost(body);
            assertThat(JolokiaRequestTypes.readOnly(types)).as(body).isFalse();
        }
    }
}
