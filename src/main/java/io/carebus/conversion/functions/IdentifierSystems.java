package io.carebus.conversion.functions;

import io.carebus.conversion.er7.Er7Segment;
import io.carebus.conversion.mapping.CodeTable;
import io.carebus.conversion.mapping.ConversionContext;
import io.carebus.conversion.mapping.V2Value;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.UriType;

/** Identifier.system from an assigning authority (HD) or, when there is none, from the sender (MSH-4). */
final class IdentifierSystems {

    private IdentifierSystems() {
    }

    /** HD-2 with HD-3 ISO → urn:oid:, UUID → urn:uuid:, URI → as is; otherwise the configured prefix + HD-1. */
    static final String NPI = "http://hl7.org/fhir/sid/us-npi";
    private static final java.util.regex.Pattern OID = java.util.regex.Pattern.compile("[0-2](\\.(0|[1-9][0-9]*))+");
    private static final java.util.regex.Pattern UUID =
            java.util.regex.Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final java.util.regex.Pattern URI = java.util.regex.Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*:\\S+");

    static Base fromHd(ConversionContext ctx, Er7Segment segment, V2Value hd) {
        var d = ctx.delimiters();
        return system(ctx, null, ctx.text(hd.part(1, d)).trim(), ctx.text(hd.part(2, d)).trim(),
                ctx.text(hd.part(3, d)).trim().toUpperCase(java.util.Locale.ROOT));
    }

    /** CX: the ID (CX-1) with its assigning authority (CX-4). */
    static Base fromCx(ConversionContext ctx, Er7Segment segment, V2Value cx) {
        return withId(ctx, cx, 4);
    }

    /** XCN: the ID (XCN-1) with its assigning authority (XCN-9). */
    static Base fromXcn(ConversionContext ctx, Er7Segment segment, V2Value xcn) {
        return withId(ctx, xcn, 9);
    }

    private static Base withId(ConversionContext ctx, V2Value value, int authority) {
        var d = ctx.delimiters();
        V2Value hd = value.part(authority, d);
        if (hd.isEmpty()) {
            return null;
        }
        return system(ctx, ctx.text(value.part(1, d)).trim(), ctx.text(hd.part(1, d)).trim(),
                ctx.text(hd.part(2, d)).trim(), ctx.text(hd.part(3, d)).trim().toUpperCase(java.util.Locale.ROOT));
    }

    /** NPI: ten digits with a Luhn check digit over "80840" + the first nine (CMS NPI standard). */
    static boolean isNpi(String id) {
        if (id == null || id.length() != 10 || !id.chars().allMatch(Character::isDigit)) {
            return false;
        }
        String digits = "80840" + id;
        int sum = 0;
        for (int i = digits.length() - 1, n = 0; i >= 0; i--, n++) {
            int v = digits.charAt(i) - '0';
            if (n % 2 == 1) {
                v *= 2;
                if (v > 9) {
                    v -= 9;
                }
            }
            sum += v;
        }
        return sum % 10 == 0;
    }

    /** EI-2..EI-4 (namespace ID, universal ID, universal ID type) name the assigning authority. */
    static Base fromEi(ConversionContext ctx, Er7Segment segment, V2Value ei) {
        var d = ctx.delimiters();
        return system(ctx, ctx.text(ei.part(1, d)).trim(), ctx.text(ei.part(2, d)).trim(), ctx.text(ei.part(3, d)).trim(),
                ctx.text(ei.part(4, d)).trim().toUpperCase(java.util.Locale.ROOT));
    }

    private static Base system(ConversionContext ctx, String id, String namespace, String universalId, String type) {
        CodeTable wellKnown = ctx.mappings().table("identifier-system");
        if (wellKnown != null) {
            CodeTable.Concept known = !universalId.isEmpty() ? wellKnown.lookup(universalId) : null;
            if (known == null && !namespace.isEmpty()) {
                known = wellKnown.lookup(namespace);
            }
            if (known != null && (!NPI.equals(known.code()) || isNpi(id))) {
                return new UriType(known.code());
            }
        }
        if (!universalId.isEmpty()) {
            switch (type) {
                case "ISO":
                    if (OID.matcher(universalId).matches()) {
                        return new UriType("urn:oid:" + universalId);
                    }
                    break;
                case "UUID":
                    if (UUID.matcher(universalId).matches()) {
                        return new UriType("urn:uuid:" + universalId.toLowerCase(java.util.Locale.ROOT));
                    }
                    break;
                case "URI", "URL":
                    if (URI.matcher(universalId).matches()) {
                        return new UriType(universalId);
                    }
                    break;
                default:
                    break;
            }
        }
        String name = namespace.isEmpty() ? universalId : namespace;
        if (name.isEmpty()) {
            return null;
        }
        return new UriType(ctx.settings().identifierSystemPrefix() + urlSafe(name));
    }

    static Base fromSender(ConversionContext ctx, Er7Segment segment, V2Value value) {
        return new UriType(ctx.senderSystem());
    }

    static String urlSafe(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.' || c == '_' ? c : '-');
        }
        return out.toString();
    }
}
