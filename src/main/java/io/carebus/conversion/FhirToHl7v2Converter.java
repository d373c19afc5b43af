package io.carebus.conversion;

import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import io.carebus.conversion.mapping.CodeTable;
import io.carebus.conversion.mapping.ConversionSettings;
import io.carebus.conversion.mapping.Hl7Timestamps;
import io.carebus.conversion.mapping.MappingSet;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Account;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ChargeItem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Type;

/**
 * FHIR R4 → HL7 v2.5.1 ER7 for downstream systems that only speak v2: Patient (+ Encounter) → ADT A04/A08,
 * DiagnosticReport/Observation → ORU R01, Appointment → SIU S12, ChargeItem (+ Account) → DFT P03. The code
 * tables of the forward mappings are read backwards, so a round trip v2 → FHIR → v2 keeps identifiers (with
 * their assigning authority), names, dates, codes and values.
 */
public final class FhirToHl7v2Converter {

    private static final DateTimeFormatter MSH_7 = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");
    private static final String US_CORE_RACE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race";
    private static final String US_CORE_ETHNICITY = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity";

    private final FhirContext fhirContext;
    private final MappingSet tables;
    private final ConversionSettings settings;
    private final String application;
    private final String facility;
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() % 1_000_000);

    public FhirToHl7v2Converter(FhirContext fhirContext, MappingSet tables, ConversionSettings settings,
                                String application, String facility) {
        this.fhirContext = fhirContext;
        this.tables = tables;
        this.settings = settings;
        this.application = application;
        this.facility = facility;
    }

    /** FHIR JSON (a Bundle or one resource) in, ER7 out. ADT uses the trigger given (A04 or A08, default A08). */
    public String convert(String fhirJson, String adtTrigger) {
        IBaseResource parsed;
        try {
            parsed = fhirContext.newJsonParser().parseResource(fhirJson);
        } catch (DataFormatException e) {
            throw new UnconvertibleMessageException("Not FHIR R4 JSON: " + e.getMessage(), e);
        }
        List<Resource> resources = new ArrayList<>();
        if (parsed instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
                if (e.getResource() != null) {
                    if (e.hasFullUrl()) {
                        e.getResource().setUserData("fullUrl", e.getFullUrl());
                    }
                    resources.add(e.getResource());
                }
            }
        } else {
            resources.add((Resource) parsed);
        }
        return convert(resources, adtTrigger == null || adtTrigger.isBlank() ? "A08" : adtTrigger);
    }

    private String convert(List<Resource> resources, String adtTrigger) {
        Patient patient = first(resources, Patient.class);
        Encounter encounter = first(resources, Encounter.class);
        if (first(resources, DiagnosticReport.class) != null || first(resources, Observation.class) != null) {
            return oru(resources, patient, encounter);
        }
        if (first(resources, Appointment.class) != null) {
            return siu(resources, patient);
        }
        if (first(resources, ChargeItem.class) != null) {
            return dft(resources, patient, encounter);
        }
        if (patient != null) {
            if (!adtTrigger.equals("A04") && !adtTrigger.equals("A08")) {
                throw new UnconvertibleMessageException("ADT trigger " + adtTrigger + ": only A04 and A08 are made");
            }
            Er7Writer w = new Er7Writer();
            msh(w, "ADT", adtTrigger, "ADT_A01");
            w.segment("EVN").set(1, adtTrigger).set(2, now()).end();
            pid(w, patient, first(resources, Account.class));
            pv1(w, encounter, resources);
            return w.text();
        }
        throw new UnconvertibleMessageException("Nothing to send as HL7 v2: no Patient, Encounter, "
                + "DiagnosticReport, Observation, Appointment or ChargeItem");
    }

    // ---- messages

    private String oru(List<Resource> resources, Patient patient, Encounter encounter) {
        Er7Writer w = new Er7Writer();
        msh(w, "ORU", "R01", "ORU_R01");
        if (patient != null) {
            pid(w, patient, null);
        }
        if (encounter != null) {
            pv1(w, encounter, resources);
        }
        List<Observation> placed = new ArrayList<>();
        int obr = 0;
        for (DiagnosticReport report : all(resources, DiagnosticReport.class)) {
            ServiceRequest order = report.hasBasedOn() ? find(resources, report.getBasedOnFirstRep(), ServiceRequest.class) : null;
            w.segment("ORC").set(1, "RE")
                    .set(2, identifierOfType(order == null ? List.of() : order.getIdentifier(), "PLAC"))
                    .set(3, identifierOfType(report.getIdentifier(), "FILL")).end();
            w.segment("OBR").set(1, String.valueOf(++obr))
                    .set(2, identifierOfType(order == null ? List.of() : order.getIdentifier(), "PLAC"))
                    .set(3, identifierOfType(report.getIdentifier(), "FILL"))   // OBR-3 filler order number
                    .set(4, cwe(report.getCode()))                              // OBR-4 universal service identifier
                    .set(7, dtm(report.getEffective()))                         // OBR-7 observation date/time
                    .set(22, ts(report.getIssuedElement()))                     // OBR-22 results rpt/status chng
                    .set(25, reverse("report-status", null, report.getStatus() == null ? null : report.getStatus().toCode()))
                    .end();
            int set = 0;
            for (Reference r : report.getResult()) {
                Observation o = find(resources, r, Observation.class);
                if (o != null) {
                    obx(w, o, ++set);
                    placed.add(o);
                }
            }
        }
        int set = 0;
        for (Observation o : all(resources, Observation.class)) {
            if (!placed.contains(o)) {
                if (set == 0 && obr == 0) {
                    w.segment("OBR").set(1, "1").set(4, cwe(o.getCode())).set(7, dtm(o.getEffective())).end();
                }
                obx(w, o, ++set);
            }
        }
        return w.text();
    }

    private String siu(List<Resource> resources, Patient patient) {
        Appointment a = first(resources, Appointment.class);
        Er7Writer w = new Er7Writer();
        msh(w, "SIU", "S12", "SIU_S12");
        Long minutes = a.hasMinutesDuration() ? (long) a.getMinutesDuration()
                : a.hasStart() && a.hasEnd() ? (a.getEnd().getTime() - a.getStart().getTime()) / 60000 : null;
        w.segment("SCH")
                .set(1, identifierOfType(a.getIdentifier(), "PLAC"))       // SCH-1 placer appointment ID
                .set(2, identifierOfType(a.getIdentifier(), "FILL"))       // SCH-2 filler appointment ID
                .set(7, cwe(a.getReasonCodeFirstRep()))                    // SCH-7 appointment reason
                .set(8, cwe(a.getAppointmentType()))                       // SCH-8 appointment type
                .set(9, minutes == null ? "" : String.valueOf(minutes))    // SCH-9 appointment duration
                .set(10, minutes == null ? "" : "MIN")
                .set(11, "", "", minutes == null ? "" : "M" + minutes, ts(a.getStartElement()), ts(a.getEndElement()))
                .set(25, reverse("appointment-status", null, a.getStatus() == null ? null : a.getStatus().toCode()))
                .end();
        if (patient != null) {
            pid(w, patient, null);
        }
        int set = 0;
        for (Appointment.AppointmentParticipantComponent p : a.getParticipant()) {
            Practitioner pr = find(resources, p.getActor(), Practitioner.class);
            if (pr != null) {
                w.segment("AIP").set(1, String.valueOf(++set)).set(3, xcn(pr))
                        .set(4, cwe(p.getTypeFirstRep())).set(6, ts(a.getStartElement())).end();
            }
        }
        return w.text();
    }

    private String dft(List<Resource> resources, Patient patient, Encounter encounter) {
        Er7Writer w = new Er7Writer();
        msh(w, "DFT", "P03", "DFT_P03");
        w.segment("EVN").set(1, "P03").set(2, now()).end();
        if (patient != null) {
            pid(w, patient, first(resources, Account.class));
        }
        if (encounter != null) {
            pv1(w, encounter, resources);
        }
        int set = 0;
        for (ChargeItem c : all(resources, ChargeItem.class)) {
            Practitioner performer = c.hasPerformer() ? find(resources, c.getPerformerFirstRep().getActor(), Practitioner.class) : null;
            w.segment("FT1").set(1, String.valueOf(++set))
                    .set(2, c.hasIdentifier() ? c.getIdentifierFirstRep().getValue() : "")   // FT1-2 transaction ID
                    .set(4, dtm(c.getOccurrence()))                                           // FT1-4 transaction date
                    .set(5, c.hasEnteredDate() ? Hl7Timestamps.toHl7(c.getEnteredDateElement().getValueAsString()) : "")
                    .set(6, "CG")                                                             // FT1-6 transaction type
                    .set(7, cwe(c.getCode()))                                                 // FT1-7 transaction code
                    .set(10, c.hasQuantity() ? plain(c.getQuantity().getValue()) : "")        // FT1-10 quantity
                    .set(11, c.hasPriceOverride() ? w.sub(plain(c.getPriceOverride().getValue()),
                            c.getPriceOverride().getCurrency()) : "")                           // FT1-11 extended amount
                    .set(20, performer == null ? new String[0] : xcn(performer))               // FT1-20 performed by
                    .end();
        }
        return w.text();
    }

    // ---- segments

    private void msh(Er7Writer w, String code, String event, String structure) {
        w.segment("MSH").raw(1, "|").raw(2, "^~\\&").set(3, application).set(4, facility)
                .set(7, now()).set(9, code, event, structure)
                .set(10, "CB" + sequence.incrementAndGet()).set(11, "P").set(12, "2.5.1").end();
    }

    private void pid(Er7Writer w, Patient p, Account account) {
        Er7Writer.Segment pid = w.segment("PID").set(1, "1");
        for (Identifier id : p.getIdentifier()) {
            pid.repeat(3, cx(w, id));                                                  // PID-3 identifier list
        }
        for (HumanName n : p.getName()) {
            pid.repeat(5, xpn(n));                                                     // PID-5 patient name
        }
        pid.set(7, p.hasBirthDate() ? Hl7Timestamps.toHl7(p.getBirthDateElement().getValueAsString()) : "");
        pid.set(8, p.hasGender() ? reverse("administrative-sex", null, p.getGender().toCode()) : "");
        Extension race = p.getExtensionByUrl(US_CORE_RACE);
        if (race != null) {
            for (Extension e : race.getExtensionsByUrl("ombCategory")) {
                Coding c = (Coding) e.getValue();
                pid.repeat(10, c.getCode(), c.getDisplay(), "CDCREC");               // PID-10 race
            }
        }
        for (Address a : p.getAddress()) {
            pid.repeat(11, xad(a));                                                    // PID-11 patient address
        }
        for (ContactPoint t : p.getTelecom()) {
            if (t.getUse() != ContactPoint.ContactPointUse.WORK) {
                pid.repeat(13, xtn(t));                                                // PID-13 phone - home
            } else {
                pid.repeat(14, xtn(t));                                                // PID-14 phone - business
            }
        }
        if (p.hasMaritalStatus()) {
            Coding m = p.getMaritalStatus().getCodingFirstRep();
            pid.set(16, reverse("marital-status", m.getSystem(), m.getCode()));       // PID-16 marital status
        }
        if (account != null && account.hasIdentifier()) {
            pid.set(18, cx(w, account.getIdentifierFirstRep()));                       // PID-18 account number
        }
        Extension ethnicity = p.getExtensionByUrl(US_CORE_ETHNICITY);
        if (ethnicity != null && ethnicity.getExtensionByUrl("ombCategory") != null) {
            Coding c = (Coding) ethnicity.getExtensionByUrl("ombCategory").getValue();
            pid.set(22, c.getCode(), c.getDisplay(), "CDCREC");                        // PID-22 ethnic group
        }
        if (p.hasDeceasedDateTimeType()) {
            pid.set(29, Hl7Timestamps.toHl7(p.getDeceasedDateTimeType().getValueAsString()));
        }
        pid.end();
    }

    private void pv1(Er7Writer w, Encounter e, List<Resource> resources) {
        if (e == null) {
            return;
        }
        Er7Writer.Segment pv1 = w.segment("PV1").set(1, "1");
        if (e.hasClass_()) {
            pv1.set(2, reverse("patient-class", e.getClass_().getSystem(), e.getClass_().getCode()));   // PV1-2
        }
        if (e.hasLocation()) {
            org.hl7.fhir.r4.model.Location l = find(resources, e.getLocationFirstRep().getLocation(),
                    org.hl7.fhir.r4.model.Location.class);
            if (l != null) {
                List<String> alias = l.getAlias().stream().map(PrimitiveType::getValue).toList();
                pv1.set(3, l.getName(), alias.size() > 0 ? alias.get(0) : "", alias.size() > 1 ? alias.get(1) : "");
            }
        }
        for (Encounter.EncounterParticipantComponent p : e.getParticipant()) {
            Practitioner pr = find(resources, p.getIndividual(), Practitioner.class);
            String role = p.hasType() ? p.getTypeFirstRep().getCodingFirstRep().getCode() : "";
            int field = switch (role == null ? "" : role) {
                case "ATND" -> 7;
                case "REF" -> 8;
                case "CON" -> 9;
                case "ADM" -> 17;
                default -> 0;
            };
            if (pr != null && field > 0) {
                pv1.repeat(field, xcn(pr));                                            // PV1-7/8/9/17 doctors
            }
        }
        if (e.hasIdentifier()) {
            pv1.set(19, cx(w, e.getIdentifierFirstRep()));                            // PV1-19 visit number
        }
        if (e.hasPeriod()) {
            pv1.set(44, ts(e.getPeriod().getStartElement()));                         // PV1-44 admit date/time
            pv1.set(45, ts(e.getPeriod().getEndElement()));                           // PV1-45 discharge date/time
        }
        pv1.end();
    }

    private void obx(Er7Writer w, Observation o, int set) {
        Er7Writer.Segment obx = w.segment("OBX").set(1, String.valueOf(set));
        Type v = o.getValue();
        String[] units = {};
        if (v instanceof Quantity q) {
            boolean comparator = q.hasComparator();
            obx.set(2, comparator ? "SN" : "NM");
            obx.set(5, comparator ? new String[] {q.getComparator().toCode(), plain(q.getValue())}
                    : new String[] {plain(q.getValue())});
            units = unit(q);
        } else if (v instanceof Range r) {
            obx.set(2, "SN").set(5, "", plain(r.getLow().getValue()), "-", plain(r.getHigh().getValue()));
            units = unit(r.getLow());
        } else if (v instanceof CodeableConcept cc) {
            obx.set(2, "CWE").set(5, cwe(cc));
        } else if (v instanceof org.hl7.fhir.r4.model.DateTimeType dt) {
            obx.set(2, dt.getPrecision().ordinal() <= ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY.ordinal() ? "DT" : "TS")
                    .set(5, Hl7Timestamps.toHl7(dt.getValueAsString()));
        } else if (v instanceof org.hl7.fhir.r4.model.StringType s) {
            obx.set(2, s.getValue().contains("\n") ? "TX" : "ST");
            String[] lines = s.getValue().split("\n", -1);
            if (lines.length > 1) {
                for (String line : lines) {
                    obx.repeat(5, line);
                }
            } else {
                obx.set(5, s.getValue());
            }
        } else if (v instanceof org.hl7.fhir.r4.model.TimeType t) {
            obx.set(2, "TM").set(5, t.getValue().replace(":", ""));
        }
        obx.set(3, cwe(o.getCode()))                                                   // OBX-3 observation identifier
                .set(6, units)                                                         // OBX-6 units
                .set(7, o.hasReferenceRange() ? o.getReferenceRangeFirstRep().getText() : "")   // OBX-7 reference range
                .set(8, o.hasInterpretation() ? o.getInterpretationFirstRep().getCodingFirstRep().getCode() : "")
                .set(11, o.hasStatus() ? reverse("observation-status", null, o.getStatus().toCode()) : "")
                .set(14, dtm(o.getEffective()))                                        // OBX-14 observation date/time
                .end();
    }

    // ---- datatypes

    /** CX: ID^^^assigning authority (namespace&OID&ISO)^identifier type. */
    private String[] cx(Er7Writer w, Identifier id) {
        String type = id.hasType() ? (id.getType().hasCoding() ? id.getType().getCodingFirstRep().getCode()
                : id.getType().getText()) : "";
        return new String[] {id.getValue(), "", "", authority(w, id.getSystem()), type};
    }

    private String authority(Er7Writer w, String system) {
        if (system == null) {
            return "";
        }
        CodeTable wellKnown = tables.table("identifier-system");
        String known = wellKnown == null ? null : wellKnown.v2CodeFor(null, system);
        if (known != null && !known.startsWith("2.")) {
            return known;
        }
        if (system.startsWith(settings.identifierSystemPrefix())) {
            return system.substring(settings.identifierSystemPrefix().length());
        }
        if (system.startsWith("urn:oid:")) {
            return w.sub("", system.substring(8), "ISO");
        }
        if (system.startsWith("urn:uuid:")) {
            return w.sub("", system.substring(9), "UUID");
        }
        return w.sub("", system, "URI");
    }

    private static String[] xpn(HumanName n) {
        List<String> given = n.getGiven().stream().map(PrimitiveType::getValue).toList();
        return new String[] {n.getFamily(), given.isEmpty() ? "" : given.get(0),
                given.size() > 1 ? String.join(" ", given.subList(1, given.size())) : "",
                n.hasSuffix() ? n.getSuffix().get(0).getValue() : "", n.hasPrefix() ? n.getPrefix().get(0).getValue() : ""};
    }

    private static String[] xad(Address a) {
        List<String> lines = a.getLine().stream().map(PrimitiveType::getValue).toList();
        return new String[] {lines.isEmpty() ? "" : lines.get(0), lines.size() > 1 ? lines.get(1) : "", a.getCity(),
                a.getState(), a.getPostalCode(), a.getCountry(),
                a.getUse() == Address.AddressUse.HOME ? "H" : a.getUse() == Address.AddressUse.WORK ? "B" : ""};
    }

    private static String[] xtn(ContactPoint t) {
        if (t.getSystem() == ContactPoint.ContactPointSystem.EMAIL) {
            return new String[] {"", "NET", "Internet", t.getValue()};
        }
        String use = t.getUse() == ContactPoint.ContactPointUse.WORK ? "WPN" : t.getUse() == ContactPoint.ContactPointUse.HOME ? "PRN" : "";
        String equipment = t.getSystem() == ContactPoint.ContactPointSystem.FAX ? "FX"
                : t.getUse() == ContactPoint.ContactPointUse.MOBILE ? "CP" : "PH";
        return new String[] {t.getValue(), use, equipment};
    }

    private String[] xcn(Practitioner p) {
        Identifier id = p.getIdentifierFirstRep();
        HumanName n = p.getNameFirstRep();
        List<String> given = n.getGiven().stream().map(PrimitiveType::getValue).toList();
        String system = id.getSystem();
        String authority = system == null ? "" : system.startsWith(settings.identifierSystemPrefix())
                ? system.substring(settings.identifierSystemPrefix().length())
                : "http://hl7.org/fhir/sid/us-npi".equals(system) ? "NPI" : "";
        return new String[] {id.getValue(), n.getFamily(), given.isEmpty() ? "" : given.get(0),
                given.size() > 1 ? given.get(1) : "", n.hasSuffix() ? n.getSuffix().get(0).getValue() : "",
                n.hasPrefix() ? n.getPrefix().get(0).getValue() : "", "", "", authority};
    }

    /** CWE: code^display^coding system (HL7 table 0396 name) for the first two codings, text in CWE-9. */
    private String[] cwe(CodeableConcept cc) {
        if (cc == null || cc.isEmpty()) {
            return new String[0];
        }
        CodeTable systems = tables.table("coding-system");
        String[] out = new String[9];
        java.util.Arrays.fill(out, "");
        List<Coding> codings = cc.getCoding();
        for (int i = 0; i < Math.min(2, codings.size()); i++) {
            Coding c = codings.get(i);
            out[i * 3] = c.getCode();
            out[i * 3 + 1] = c.getDisplay();
            out[i * 3 + 2] = c.hasSystem() && systems != null ? systems.v2NameForUri(c.getSystem()) : "";
        }
        if (codings.isEmpty()) {
            out[1] = cc.getText();
        } else if (cc.hasText()) {
            out[8] = cc.getText();
        }
        return out;
    }

    private String[] unit(Quantity q) {
        if (q == null || (!q.hasCode() && !q.hasUnit())) {
            return new String[0];
        }
        boolean ucum = "http://unitsofmeasure.org".equals(q.getSystem());
        String code = q.hasCode() ? q.getCode() : q.getUnit();
        return new String[] {code, q.hasUnit() && !q.getUnit().equals(code) ? q.getUnit() : "", ucum ? "UCUM" : ""};
    }

    private String reverse(String table, String system, String code) {
        CodeTable t = tables.table(table);
        String v2 = t == null ? null : t.v2CodeFor(system, code);
        return v2 == null ? "" : v2;
    }

    private static String identifierOfType(List<Identifier> ids, String type) {
        for (Identifier id : ids) {
            if (id.hasType() && id.getType().getCodingFirstRep().getCode() != null
                    && id.getType().getCodingFirstRep().getCode().equals(type)) {
                return id.getValue();
            }
        }
        return "";
    }

    private static String dtm(Type t) {
        return t instanceof org.hl7.fhir.r4.model.BaseDateTimeType d ? Hl7Timestamps.toHl7(d.getValueAsString())
                : t instanceof org.hl7.fhir.r4.model.Period p && p.hasStart() ? Hl7Timestamps.toHl7(p.getStartElement().getValueAsString()) : "";
    }

    private static String ts(org.hl7.fhir.r4.model.BaseDateTimeType t) {
        return t == null || !t.hasValue() ? "" : Hl7Timestamps.toHl7(t.getValueAsString());
    }

    private static String plain(BigDecimal d) {
        return d == null ? "" : d.toPlainString();
    }

    private static String now() {
        return MSH_7.format(java.time.ZonedDateTime.now(ZoneOffset.UTC));
    }

    private static <T extends Resource> T first(List<Resource> resources, Class<T> type) {
        for (Resource r : resources) {
            if (type.isInstance(r)) {
                return type.cast(r);
            }
        }
        return null;
    }

    private static <T extends Resource> List<T> all(List<Resource> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The resource a reference points to inside the same bundle (by fullUrl or Type/id). */
    private static <T extends Resource> T find(List<Resource> resources, Reference ref, Class<T> type) {
        if (ref == null || !ref.hasReference()) {
            return null;
        }
        String target = ref.getReference();
        for (Resource r : resources) {
            if (!type.isInstance(r)) {
                continue;
            }
            Object fullUrl = r.getUserData("fullUrl");
            if (target.equals(fullUrl) || (r.hasIdElement() && target.equals(r.fhirType() + "/" + r.getIdElement().getIdPart()))) {
                return type.cast(r);
            }
        }
        return null;
    }
}
