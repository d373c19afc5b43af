package io.carebus.fhir.bulk;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.ToLongFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * The complete-status manifest with each output file's {@code count} ("the number of resources in the file",
 * Bulk Data Access IG 2.0), which HAPI's provider leaves out: the manifest it writes is held back, the count of
 * each file added, then sent.
 */
final class ManifestCountsResponse extends HttpServletResponseWrapper {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ToLongFunction<String> resourcesInFile;
    private final StringWriter manifest = new StringWriter();
    private PrintWriter writer;
    private boolean sent;

    /** @param resourcesInFile the number of resources in the output file at a URL */
    ManifestCountsResponse(HttpServletResponse response, ToLongFunction<String> resourcesInFile) {
        super(response);
        this.resourcesInFile = resourcesInFile;
    }

    @Override
    public PrintWriter getWriter() {
        if (writer == null) {
            writer = new PrintWriter(manifest) {
                @Override
                public void close() {
                    flush();
                    send();
                }
            };
        }
        return writer;
    }

    private void send() {
        if (sent) {
            return;
        }
        sent = true;
        String body = manifest.toString();
        try {
            if (getStatus() == HttpServletResponse.SC_OK && !body.isBlank()) {
                JsonNode document = JSON.readTree(body);
                for (JsonNode output : document.path("output")) {
                    if (output instanceof ObjectNode file && file.hasNonNull("url")) {
                        file.put("count", resourcesInFile.applyAsLong(file.get("url").asText()));
                    }
                }
                body = JSON.writeValueAsString(document);
            }
            PrintWriter out = getResponse().getWriter();
            out.write(body);
            out.close();
        } catch (IOException e) {
            throw new IllegalStateException("Bulk export manifest not sent", e);
        }
    }
}
