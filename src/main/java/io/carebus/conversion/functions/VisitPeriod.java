package io.carebus.conversion.functions;

import java.util.List;

import io.carebus.conversion.er7.Er7Segment;
import io.carebus.conversion.mapping.ConversionContext;
import io.carebus.conversion.mapping.Hl7Timestamps;
import io.carebus.conversion.mapping.V2Value;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encounter.period from PV1-44 (admit date/time) and PV1-45 (discharge date/time). A discharge before the
 * admission contradicts itself (FHIR per-1): the admission is kept, the discharge dropped, and a line logged.
 */
final class VisitPeriod {

    private static final Logger log = LoggerFactory.getLogger(VisitPeriod.class);

    private VisitPeriod() {
    }

    static void apply(ConversionContext ctx, Er7Segment pv1, List<V2Value> values, Base target) {
        if (!(target instanceof Encounter encounter)) {
            return;
        }
        var d = ctx.delimiters();
        String start = Hl7Timestamps.toDateTime(ctx.text(io.carebus.conversion.er7.Er7Message.piece(pv1.field(44),
                d.component(), 1)), ctx.settings().defaultZone());
        String end = Hl7Timestamps.toDateTime(ctx.text(io.carebus.conversion.er7.Er7Message.piece(
                io.carebus.conversion.er7.Er7Message.piece(pv1.field(45), d.repetition(), 1), d.component(), 1)),
                ctx.settings().defaultZone());
        DateTimeType s = start == null ? null : new DateTimeType(start);
        DateTimeType e = end == null ? null : new DateTimeType(end);
        if (s != null && e != null && e.getValue().before(s.getValue())) {
            log.info("controlId={}: PV1-45 discharge precedes PV1-44 admission; discharge not mapped",
                    ctx.message().controlId());
            e = null;
        }
        if (s != null) {
            encounter.getPeriod().setStartElement(s);
        }
        if (e != null) {
            encounter.getPeriod().setEndElement(e);
        }
    }
}
