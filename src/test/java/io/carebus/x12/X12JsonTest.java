package io.carebus.x12;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

import com.fasterxml.jackson.databind.JsonNode;
import io.carebus.x12.schema.SchemaRegistry;
import io.carebus.x12.tree.X12Json;
import io.carebus.x12.tree.X12Transaction;
import org.junit.jupiter.api.Test;

/** A transaction set as JSON keyed by loop ids, segments keyed by reference designators. */
class X12JsonTest {

    @Test
    void claimIsNestedByItsLoops() throws IOException {
        X12Transaction t;
        try (InputStream in = Files.newInputStream(X12CorpusTest.CORPUS.resolve("837_005010X222A2/demo.example1.837"))) {
            t = new X12Service(SchemaRegistry.standard()).readAll(in).get(0);
        }
        JsonNode json = X12Json.transaction(t);
        assertThat(json.get("transactionSet").asText()).isEqualTo("837");
        assertThat(json.get("accepted").asBoolean()).isTrue();
        JsonNode root = json.get("837P.005010X222A1");
        assertThat(root.get("BHT").get(0).get("BHT03").asText()).isEqualTo("244579");
        JsonNode billing = root.get("2000A").get(0);
        assertThat(billing.get("2010AA").get(0).get("NM1").get(0).get("NM103").asText())
                .isEqualTo("BEN KILDARE SERVICE");
        JsonNode patient = billing.get("2000B").get(0).get("2000C").get(0);
        JsonNode claim = patient.get("2300").get(0);
        assertThat(claim.get("CLM").get(0).get("CLM01").asText()).isEqualTo("26463774");
        // a composite is an array of its components
        assertThat(claim.get("CLM").get(0).get("CLM05").get(0).asText()).isEqualTo("11");
        assertThat(claim.get("2400")).hasSize(4);
        assertThat(claim.get("2400").get(0).get("SV1").get(0).get("SV101").get(1).asText()).isEqualTo("99213");
    }
}
