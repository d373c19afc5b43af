package io.carebus.conversion.functions;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.carebus.conversion.er7.Er7Segment;
import io.carebus.conversion.mapping.ConversionContext;
import io.carebus.conversion.mapping.V2Value;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.DocumentReference;

/**
 * MDM: the OBX segments after TXA are the document. ED values become one content entry each (base64 as sent);
 * text values (TX, FT, ST, CE…) are joined, one line per OBX and repetition, into one text/plain content.
 */
final class DocumentContent {

    private static final String TEXT_KEY = "carebus.documentText";

    private DocumentContent() {
    }

    static void append(ConversionContext ctx, Er7Segment segment, List<V2Value> values, Base target) {
        if (!(target instanceof DocumentReference doc) || values.isEmpty()) {
            return;
        }
        String valueType = ctx.text(segment.field(2)).trim();
        if ("ED".equals(valueType)) {
            Attachment a = EncapsulatedData.attachment(ctx, values.get(0));
            if (a != null) {
                doc.addContent().setAttachment(a);
            }
            return;
        }
        StringBuilder text = (StringBuilder) doc.getUserData(TEXT_KEY);
        Attachment attachment;
        if (text == null) {
            text = new StringBuilder();
            doc.setUserData(TEXT_KEY, text);
            attachment = doc.addContent().getAttachment().setContentType("text/plain; charset=utf-8");
            doc.setUserData(TEXT_KEY + ".attachment", attachment);
        } else {
            attachment = (Attachment) doc.getUserData(TEXT_KEY + ".attachment");
        }
        for (V2Value v : values) {
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(ctx.text(v.raw()));
        }
        attachment.setData(text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
