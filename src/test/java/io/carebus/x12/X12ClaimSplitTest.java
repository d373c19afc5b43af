package io.carebus.x12;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import io.carebus.x12.schema.SchemaRegistry;
import io.carebus.x12.tree.ClaimSplitter;
import io.carebus.x12.tree.X12Transaction;
import io.carebus.x12.validate.InterchangeResult;
import org.junit.jupiter.api.Test;

/** 837 split one claim per message: each part is a valid 837 with the claim's providers and subscriber. */
class X12ClaimSplitTest {

    final X12Service x12 = new X12Service(SchemaRegistry.standard());

    @Test
    void twoInstitutionalClaimsBecomeTwoValidTransactionSets() throws IOException {
        String file = Files.readString(X12CorpusTest.CORPUS.resolve(
                "837_005010X223A3/two-claims-single-provider.837i"), StandardCharsets.ISO_8859_1);
        X12Transaction t = x12.readAll(in(file)).get(0);
        List<String> parts = ClaimSplitter.split(t);
        assertThat(parts).hasSize(2);
        String envelopeHead = file.substring(0, file.indexOf("ST*"));
        for (int i = 0; i < parts.size(); i++) {
            String single = envelopeHead + parts.get(i) + "GE*1*1~IEA*1*000000907~";
            X12Transaction claim = x12.readAll(in(single)).get(0);
            assertThat(claim.root().descendants("2300")).hasSize(1);
            assertThat(claim.root().descendants("2300").get(0).value("CLM", 1))
                    .isEqualTo(t.root().descendants("2300").get(i).value("CLM", 1));
            assertThat(claim.root().descendants("2010AA")).hasSize(1);
            // the parts carry the same departures from X223 as the sample (CLM06) and nothing else
            InterchangeResult result = x12.validate(in(single)).get(0);
            assertThat(result.groups().get(0).transactions().get(0).syntaxCodes()).doesNotContain("4", "3", "2");
            assertThat(X12CorpusTest.signatures(result.groups().get(0).transactions().get(0)))
                    .containsExactly("CLM@2300#8[6:I10]");
        }
    }

    @Test
    void aClaimOfADependentKeepsItsPatientLevel() throws IOException {
        String file = Files.readString(X12CorpusTest.CORPUS.resolve("837_005010X222A2/demo.example1.837"),
                StandardCharsets.ISO_8859_1);
        List<String> parts = ClaimSplitter.split(x12.readAll(in(file)).get(0));
        assertThat(parts).hasSize(1);
        assertThat(parts.get(0)).contains("HL*3*2*23*0~", "PAT*19~", "CLM*26463774*100.00***11:B:1*Y*A*Y*I~")
                .endsWith("SE*40*0021~");
    }

    static ByteArrayInputStream in(String x12Text) {
        return new ByteArrayInputStream(x12Text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
