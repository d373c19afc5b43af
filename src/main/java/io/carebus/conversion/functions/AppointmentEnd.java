package io.carebus.conversion.functions;

import java.util.Calendar;
import java.util.List;

import io.carebus.conversion.er7.Er7Message;
import io.carebus.conversion.er7.Er7Segment;
import io.carebus.conversion.mapping.ConversionContext;
import io.carebus.conversion.mapping.V2Value;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.InstantType;

/**
 * Appointment.end when the message gives a start and a duration but no end: SCH-9/SCH-10 (appointment duration
 * and units), else the first AIS-7/AIS-8 (duration of the service). Minutes, hours and seconds (ISO+ / ANSI).
 */
final class AppointmentEnd {

    private AppointmentEnd() {
    }

    static void apply(ConversionContext ctx, Er7Segment sch, List<V2Value> values, Base target) {
        if (!(target instanceof Appointment appointment) || !appointment.hasStart() || appointment.hasEnd()) {
            return;
        }
        char c = ctx.delimiters().component();
        Long minutes = minutes(ctx.text(sch.field(9)), ctx.text(Er7Message.piece(sch.field(10), c, 1)));
        Er7Segment ais = ctx.message().first("AIS");
        if (minutes == null && ais != null) {
            minutes = minutes(ctx.text(ais.field(7)), ctx.text(Er7Message.piece(ais.field(8), c, 1)));
        }
        if (minutes == null) {
            return;
        }
        InstantType start = appointment.getStartElement();
        InstantType end = start.copy();
        end.add(Calendar.MINUTE, minutes.intValue());
        appointment.setEndElement(end);
    }

    private static Long minutes(String amount, String units) {
        if (amount.isBlank()) {
            return null;
        }
        long n;
        try {
            n = Long.parseLong(amount.trim());
        } catch (NumberFormatException e) {
            return null;
        }
        return switch (units.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "", "MIN", "M" -> n;
            case "H", "HR", "HOUR" -> n * 60;
            case "S", "SEC" -> n / 60;
            default -> null;
        };
    }
}
