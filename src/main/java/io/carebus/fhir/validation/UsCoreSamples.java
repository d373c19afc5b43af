package io.carebus.fhir.validation;

import java.math.BigDecimal;
import java.util.Date;
import java.util.Random;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * Synthetic, varied US Core 6.1.0 Patients and Observations (no real person): the start-up warm-up and the
 * {@code fhir-validate} benchmark validate these.
 */
public final class UsCoreSamples {

    public static final String PATIENT = UsCoreValidator.PROFILE_PREFIX + "us-core-patient";
    public static final String OBSERVATION_LAB = UsCoreValidator.PROFILE_PREFIX + "us-core-observation-lab";
    public static final String HEART_RATE = UsCoreValidator.PROFILE_PREFIX + "us-core-heart-rate";
    public static final String BODY_WEIGHT = UsCoreValidator.PROFILE_PREFIX + "us-core-body-weight";

    private static final String[] FAMILY = {"Doe", "Roe", "Nguyen", "Garcia", "Smith", "Okafor", "Kowalski", "Li"};
    private static final String[] GIVEN = {"Jane", "John", "Maria", "Ahmed", "Wei", "Olga", "Kofi", "Ana"};
    private static final String[][] RACE = {{"2106-3", "White"}, {"2054-5", "Black or African American"},
            {"2028-9", "Asian"}, {"1002-5", "American Indian or Alaska Native"}};
    private static final String[][] ETHNICITY = {{"2135-2", "Hispanic or Latino"}, {"2186-5", "Not Hispanic or Latino"}};
    private static final String[][] LAB = {{"2339-0", "Glucose [Mass/volume] in Blood", "mg/dL"},
            {"2823-3", "Potassium [Moles/volume] in Serum or Plasma", "mmol/L"},
            {"718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL"},
            {"2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL"}};

    private UsCoreSamples() {
    }

    public static Patient patient(Random random) {
        Patient p = new Patient();
        p.getMeta().addProfile(PATIENT);
        p.addIdentifier().setSystem("urn:oid:2.16.840.1.113883.19.5").setValue("MRN" + (100000 + random.nextInt(900000)));
        if (random.nextBoolean()) {
            p.addIdentifier().setSystem("http://hl7.org/fhir/sid/us-ssn").setValue("999-" + (10 + random.nextInt(89))
                    + "-" + (1000 + random.nextInt(8999)));
        }
        p.addName().setFamily(pick(random, FAMILY)).addGiven(pick(random, GIVEN)).setUse(
                org.hl7.fhir.r4.model.HumanName.NameUse.OFFICIAL);
        p.setGender(random.nextBoolean() ? AdministrativeGender.FEMALE : AdministrativeGender.MALE);
        p.setBirthDateElement(new DateType(1930 + random.nextInt(90) + "-0" + (1 + random.nextInt(9)) + "-1"
                + random.nextInt(10)));
        p.addAddress().addLine(random.nextInt(999) + " Main St").setCity("Springfield").setState("IL")
                .setPostalCode("627" + (10 + random.nextInt(89))).setCountry("US");
        p.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("555-01" + (10 + random.nextInt(89)))
                .setUse(ContactPoint.ContactPointUse.HOME);
        if (random.nextInt(3) > 0) {
            String[] race = RACE[random.nextInt(RACE.length)];
            Extension ext = p.addExtension().setUrl(UsCoreValidator.PROFILE_PREFIX + "us-core-race");
            ext.addExtension("ombCategory", new Coding("urn:oid:2.16.840.1.113883.6.238", race[0], race[1]));
            ext.addExtension("text", new StringType(race[1]));
            String[] eth = ETHNICITY[random.nextInt(ETHNICITY.length)];
            Extension e2 = p.addExtension().setUrl(UsCoreValidator.PROFILE_PREFIX + "us-core-ethnicity");
            e2.addExtension("ombCategory", new Coding("urn:oid:2.16.840.1.113883.6.238", eth[0], eth[1]));
            e2.addExtension("text", new StringType(eth[1]));
        }
        if (random.nextBoolean()) {
            p.addCommunication().setLanguage(new CodeableConcept(new Coding("urn:ietf:bcp:47",
                    random.nextBoolean() ? "en-US" : "es", null)));
        }
        return p;
    }

    /** A laboratory result, a heart rate or a body weight, alternately by the random draw. */
    public static Observation observation(Random random, String patientReference) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.setSubject(new Reference(patientReference));
        o.setEffective(new DateTimeType(new Date(1_700_000_000_000L + random.nextInt(1_000_000_000))));
        int kind = random.nextInt(3);
        if (kind == 0) {
            String[] lab = LAB[random.nextInt(LAB.length)];
            o.getMeta().addProfile(OBSERVATION_LAB);
            o.addCategory(category("laboratory", "Laboratory"));
            o.setCode(new CodeableConcept(new Coding("http://loinc.org", lab[0], lab[1])).setText(lab[1]));
            o.setValue(quantity(50 + random.nextInt(100), lab[2]));
        } else if (kind == 1) {
            o.getMeta().addProfile(HEART_RATE);
            o.addCategory(category("vital-signs", "Vital Signs"));
            o.setCode(new CodeableConcept(new Coding("http://loinc.org", "8867-4", "Heart rate")));
            o.setValue(quantity(50 + random.nextInt(60), "/min"));
        } else {
            o.getMeta().addProfile(BODY_WEIGHT);
            o.addCategory(category("vital-signs", "Vital Signs"));
            o.setCode(new CodeableConcept(new Coding("http://loinc.org", "29463-7", "Body weight")));
            o.setValue(quantity(40 + random.nextInt(80), "kg"));
        }
        return o;
    }

    /** An ambulatory US Core Encounter. */
    public static org.hl7.fhir.r4.model.Encounter encounter(Random random, String patientReference) {
        org.hl7.fhir.r4.model.Encounter e = new org.hl7.fhir.r4.model.Encounter();
        e.getMeta().addProfile(UsCoreValidator.PROFILE_PREFIX + "us-core-encounter");
        e.addIdentifier().setSystem("urn:oid:2.16.840.1.113883.19.6").setValue("V" + random.nextInt(1_000_000));
        e.setStatus(org.hl7.fhir.r4.model.Encounter.EncounterStatus.FINISHED);
        e.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"));
        e.addType(new CodeableConcept(new Coding("http://www.ama-assn.org/go/cpt", "99213", null)).setText("Office visit"));
        e.setSubject(new Reference(patientReference));
        return e;
    }

    private static CodeableConcept category(String code, String display) {
        return new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/observation-category", code,
                display));
    }

    private static Quantity quantity(double value, String ucum) {
        return new Quantity().setValueElement(new org.hl7.fhir.r4.model.DecimalType(BigDecimal.valueOf(value)))
                .setUnit(ucum).setSystem("http://unitsofmeasure.org").setCode(ucum);
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
