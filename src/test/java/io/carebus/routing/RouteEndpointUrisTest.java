package io.carebus.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every endpoint a route sends to or consumes from is a property placeholder (DESIGN rule 7), so tests and
 * deployments swap endpoints without editing routes. In-process endpoints (direct, log, bean) are exempt; the only
 * literal allowed before a placeholder is the broker's dead-letter prefix {@code DLQ.} of {@code DLQ.<queue>}.
 */
class RouteEndpointUrisTest {

    private static final Set<String> IN_PROCESS = Set.of("direct", "seda", "log", "bean", "class", "language");

    @Test
    void everyEndpointOfEveryRouteIsAPlaceholder() throws IOException {
        List<String> uris = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                try (Reader reader = Files.newBufferedReader(file)) {
                    collectUris(new Yaml().load(reader), file.getFileName().toString(), uris);
                }
            }
        }
        assertThat(uris).as("endpoint URIs found").hasSizeGreaterThan(10);
        assertThat(uris).allSatisfy(entry -> assertThat(isPlaceholder(entry.substring(entry.indexOf(' ') + 1)))
                .as("a literal endpoint in %s", entry).isTrue());
    }

    private static boolean isPlaceholder(String uri) {
        if (uri.startsWith("{{")) {
            return true;
        }
        int colon = uri.indexOf(':');
        String scheme = colon < 0 ? uri : uri.substring(0, colon);
        if (IN_PROCESS.contains(scheme)) {
            return true;
        }
        String address = uri.substring(colon + 1).replaceFirst("^(queue|topic):", "").replaceFirst("^DLQ\\.", "");
        return address.startsWith("{{") || address.startsWith("${");
    }

    private static void collectUris(Object node, String file, List<String> uris) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("uri".equals(key) && value instanceof String uri) {
                    uris.add(file + " " + uri);
                } else {
                    collectUris(value, file, uris);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectUris(item, file, uris));
        }
    }
}
