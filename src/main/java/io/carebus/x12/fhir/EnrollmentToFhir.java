package io.carebus.x12.fhir;

import io.carebus.x12.read.X12Segment;
import io.carebus.x12.tree.X12Loop;
import io.carebus.x12.tree.X12Transaction;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;

/**
 * 834 (005010X220A1) to FHIR: per member (2000 INS) a Patient, per health coverage (2300 HD) a Coverage, and for a
 * dependent a RelatedPerson naming the relationship to the subscriber (INS02).
 */
public final class EnrollmentToFhir {

    public Bundle bundle(X12Transaction t) {
        X12Loop root = t.root();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        Parties parties = new Parties(bundle);
        Reference payor = root.loop("1000B").map(l -> parties.organization(l, "N1"))
                .orElse(new Reference().setDisplay("insurer"));
        Reference subscriber = null;
        String subscriberId = null;
        for (X12Loop member : root.loops("2000")) {
            X12Segment ins = member.segment("INS").orElseThrow();
            boolean isSubscriber = ins.element(1).equals("Y");
            String memberSubscriberId = member.segment("REF", "0F").map(r -> r.element(2)).orElse(null);
            Reference patient = parties.patient(member.loop("2100A").orElseThrow());
            if (isSubscriber) {
                subscriber = patient;
                subscriberId = memberSubscriberId;
            } else if (subscriber != null) {
                RelatedPerson related = new RelatedPerson();
                related.setPatient(patient);
                related.addRelationship(relationship(ins.element(2)));
                related.addName().setText("subscriber " + (subscriberId == null ? "" : subscriberId));
                parties.add(related);
            }
            for (X12Loop health : member.loops("2300")) {
                X12Segment hd = health.segment("HD").orElseThrow();
                Coverage c = new Coverage();
                // INS03 / HD01 maintenance type: 024 cancellation or termination
                boolean cancelled = "024".equals(hd.element(1)) || "024".equals(ins.element(3));
                c.setStatus(cancelled ? Coverage.CoverageStatus.CANCELLED : Coverage.CoverageStatus.ACTIVE);
                c.setBeneficiary(patient);
                if (subscriber != null) {
                    c.setSubscriber(subscriber);
                }
                c.setSubscriberId(memberSubscriberId);
                c.setRelationship(relationship(ins.element(2)));
                // HD03 insurance line code: HLT health, DEN dental, VIS vision...
                c.setType(new CodeableConcept(new Coding(X12Codes.INSURANCE_TYPE, hd.element(3), null)));
                c.addPayor(payor);
                Period period = new Period();
                health.segment("DTP", "348").ifPresent(d -> period.setStart(X12Codes.date(d.element(3))));
                health.segment("DTP", "349").ifPresent(d -> period.setEnd(X12Codes.date(d.element(3))));
                if (!period.isEmpty()) {
                    c.setPeriod(period);
                }
                parties.add(c);
            }
        }
        return bundle;
    }

    /** INS02 individual relationship code to the FHIR subscriber relationship. */
    static CodeableConcept relationship(String code) {
        String fhir = switch (code) {
            case "18" -> "self";
            case "01" -> "spouse";
            case "19" -> "child";
            default -> "other";
        };
        return new CodeableConcept(new Coding(X12Codes.SUBSCRIBER_RELATIONSHIP, fhir, null));
    }
}
