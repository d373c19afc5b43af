package io.carebus.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;

import io.carebus.conversion.mapping.Hl7Timestamps;
import org.junit.jupiter.api.Test;

/** HL7 DTM/TS → FHIR date, dateTime, instant: precision kept, offsets kept, the configured zone otherwise. */
class Hl7TimestampsTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void precisionIsKept() {
        assertThat(Hl7Timestamps.toDateTime("2025", UTC)).isEqualTo("2025");
        assertThat(Hl7Timestamps.toDateTime("202503", UTC)).isEqualTo("2025-03");
        assertThat(Hl7Timestamps.toDateTime("20250314", UTC)).isEqualTo("2025-03-14");
        assertThat(Hl7Timestamps.toDateTime("202503140815", UTC)).isEqualTo("2025-03-14T08:15:00Z");
        assertThat(Hl7Timestamps.toDateTime("20250314081530.1234", UTC)).isEqualTo("2025-03-14T08:15:30.1234Z");
    }

    @Test
    void anOffsetIsKeptAndAMissingOneTakesTheConfiguredZone() {
        assertThat(Hl7Timestamps.toDateTime("20250314081500-0500", UTC)).isEqualTo("2025-03-14T08:15:00-05:00");
        assertThat(Hl7Timestamps.toDateTime("20250114081500", NEW_YORK)).isEqualTo("2025-01-14T08:15:00-05:00");
        assertThat(Hl7Timestamps.toDateTime("20250714081500", NEW_YORK)).isEqualTo("2025-07-14T08:15:00-04:00");
    }

    @Test
    void datesInstantsAndNonsense() {
        assertThat(Hl7Timestamps.toDate("19610615000000")).isEqualTo("1961-06-15");
        assertThat(Hl7Timestamps.toInstant("20250314", UTC)).isNull();
        assertThat(Hl7Timestamps.toInstant("2025031408", UTC)).isEqualTo("2025-03-14T08:00:00Z");
        assertThat(Hl7Timestamps.toDateTime("20251345", UTC)).isNull();
        assertThat(Hl7Timestamps.toDateTime("PV1-5", UTC)).isNull();
        assertThat(Hl7Timestamps.toDateTime("20250314081500-0590", UTC)).isNull();          // no such offset
        assertThat(Hl7Timestamps.toHl7("2025-03-14T08:15:00-05:00")).isEqualTo("20250314081500-0500");
        assertThat(Hl7Timestamps.toHl7("1961-06-15")).isEqualTo("19610615");
    }
}
