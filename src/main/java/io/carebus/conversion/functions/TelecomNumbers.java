package io.carebus.conversion.functions;

import io.carebus.conversion.er7.Er7Segment;
import io.carebus.conversion.mapping.ConversionContext;
import io.carebus.conversion.mapping.V2Value;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.StringType;

/** ContactPoint.value from XTN: XTN-4 (e-mail), else XTN-5..8 (country, area, local number, extension), else XTN-1. */
final class TelecomNumbers {

    private TelecomNumbers() {
    }

    static Base value(ConversionContext ctx, Er7Segment segment, V2Value xtn) {
        var d = ctx.delimiters();
        String email = ctx.text(xtn.part(4, d)).trim();
        if (!email.isEmpty()) {
            return new StringType(email);
        }
        String local = ctx.text(xtn.part(7, d)).trim();
        if (!local.isEmpty()) {
            String country = ctx.text(xtn.part(5, d)).trim();
            String area = ctx.text(xtn.part(6, d)).trim();
            String extension = ctx.text(xtn.part(8, d)).trim();
            StringBuilder number = new StringBuilder();
            if (!country.isEmpty()) {
                number.append('+').append(country).append(' ');
            }
            if (!area.isEmpty()) {
                number.append('(').append(area).append(") ");
            }
            number.append(local.length() == 7 ? local.substring(0, 3) + "-" + local.substring(3) : local);
            if (!extension.isEmpty()) {
                number.append(" x").append(extension);
            }
            return new StringType(number.toString());
        }
        String unformatted = ctx.text(xtn.part(1, d)).trim();
        return unformatted.isEmpty() ? null : new StringType(unformatted);
    }
}
