package io.carebus.conversion.functions;

import java.util.Base64;
import java.util.List;

import io.carebus.conversion.er7.Er7Segment;
import io.carebus.conversion.mapping.ConversionContext;
import io.carebus.conversion.mapping.V2Value;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Extension;

/**
 * OBX-5 of type ED (encapsulated data: source^type^subtype^encoding^data). An R4 Observation cannot hold an
 * Attachment as its value, so the document is kept in an extension (valueAttachment).
 */
final class EncapsulatedData {

    static final String EXTENSION = "hl7v2-encapsulated-data";

    private EncapsulatedData() {
    }

    static void observationExtension(ConversionContext ctx, Er7Segment segment, List<V2Value> values, Base target) {
        if (values.isEmpty() || !(target instanceof DomainResource resource)) {
            return;
        }
        Attachment attachment = attachment(ctx, values.get(0));
        if (attachment != null) {
            resource.addExtension(new Extension(ctx.settings().extensionBase() + EXTENSION, attachment));
        }
    }

    /** ED-2/ED-3 → contentType, ED-4 (Base64, Hex, A) and ED-5 → data. */
    static Attachment attachment(ConversionContext ctx, V2Value ed) {
        var d = ctx.delimiters();
        String type = ctx.text(ed.part(2, d)).trim().toLowerCase(java.util.Locale.ROOT);
        String subtype = ctx.text(ed.part(3, d)).trim().toLowerCase(java.util.Locale.ROOT);
        String encoding = ctx.text(ed.part(4, d)).trim();
        String data = ctx.text(ed.part(5, d));
        if (data.isEmpty()) {
            return null;
        }
        byte[] bytes;
        switch (encoding.toUpperCase(java.util.Locale.ROOT)) {
            case "BASE64" -> bytes = decode(() -> Base64.getMimeDecoder().decode(data), "Base64");
            case "HEX" -> bytes = decode(() -> java.util.HexFormat.of().parseHex(data.replaceAll("\\s", "")), "Hex");
            default -> bytes = data.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        Attachment a = new Attachment().setData(bytes);
        a.setContentType(contentType(type, subtype));
        return a;
    }

    private static byte[] decode(java.util.function.Supplier<byte[]> decoder, String encoding) {
        try {
            return decoder.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("OBX-5 (ED) data is not valid " + encoding + " (ED-4): " + e.getMessage(), e);
        }
    }

    static String contentType(String type, String subtype) {
        if (type.contains("/")) {
            return type;
        }
        String t = switch (type) {
            case "ap", "application" -> "application";
            case "im", "image" -> "image";
            case "au", "audio" -> "audio";
            case "tx", "text" -> "text";
            case "ft" -> "text";
            default -> "application";
        };
        String s = subtype.isEmpty() ? ("text".equals(t) ? "plain" : "octet-stream") : subtype;
        if ("rtf".equals(s) && "text".equals(t)) {
            return "text/rtf";
        }
        return t + "/" + s;
    }
}
