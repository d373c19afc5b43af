package io.carebus.x12.fhir;

import java.math.BigDecimal;
import java.util.Date;

import io.carebus.x12.read.X12Segment;
import io.carebus.x12.tree.X12Loop;
import io.carebus.x12.tree.X12Transaction;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.CoverageEligibilityResponse;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Reference;

/**
 * 271 (005010X279A1) to FHIR: a CoverageEligibilityResponse per subscriber or dependent (2000C / 2000D), its EB
 * benefits as insurance items and its AAA request validations as errors.
 */
public final class EligibilityToFhir {

    public Bundle bundle(X12Transaction t) {
        X12Loop root = t.root();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        Parties parties = new Parties(bundle);
        Date created = X12Codes.date(root.value("BHT", 4));
        for (X12Loop source : root.loops("2000A")) {
            Reference insurer = parties.organization(source.loop("2100A").orElseThrow(), "NM1");
            for (X12Loop receiver : source.loops("2000B")) {
                Reference requestor = parties.organization(receiver.loop("2100B").orElseThrow(), "NM1");
                if (receiver.loops("2000C").isEmpty()) {
                    // the payer rejected the request at the information receiver level (2100B AAA)
                    CoverageEligibilityResponse r = base(created, insurer);
                    r.setRequestor(requestor);
                    r.setPatient(new Reference().setDisplay("not identified"));
                    errors(source, r);
                    errors(source.loop("2100A").orElseThrow(), r);
                    errors(receiver.loop("2100B").orElseThrow(), r);
                    parties.add(r);
                }
                for (X12Loop subscriber : receiver.loops("2000C")) {
                    parties.add(response(subscriber, "2100C", "2110C", created, insurer, requestor, parties,
                            source, receiver));
                    for (X12Loop dependent : subscriber.loops("2000D")) {
                        parties.add(response(dependent, "2100D", "2110D", created, insurer, requestor, parties,
                                source, receiver));
                    }
                }
            }
            if (source.loops("2000B").isEmpty()) {
                // the payer rejected the request at the information source level (2000A AAA)
                CoverageEligibilityResponse r = base(created, insurer);
                r.setPatient(new Reference().setDisplay("not identified"));
                errors(source, r);
                errors(source.loop("2100A").orElseThrow(), r);
                parties.add(r);
            }
        }
        return bundle;
    }

    private CoverageEligibilityResponse response(X12Loop level, String nameLoop, String benefitLoop, Date created,
                                                 Reference insurer, Reference requestor, Parties parties,
                                                 X12Loop source, X12Loop receiver) {
        CoverageEligibilityResponse r = base(created, insurer);
        r.setRequestor(requestor);
        X12Loop name = level.loop(nameLoop).orElseThrow();
        r.setPatient(parties.patient(name));
        // TRN: the trace number the inquirer sent (TRN*2 when echoed back)
        level.segments("TRN").stream().findFirst().ifPresent(trn -> r.getRequest().setIdentifier(
                new org.hl7.fhir.r4.model.Identifier().setSystem(X12Codes.TRACE_NUMBER).setValue(trn.element(2))));
        errors(source, r);
        errors(source.loop("2100A").orElseThrow(), r);
        errors(receiver.loop("2100B").orElseThrow(), r);
        errors(name, r);
        CoverageEligibilityResponse.InsuranceComponent insurance = r.addInsurance();
        insurance.setCoverage(new Reference().setDisplay("coverage of " + name.value("NM1", 9)));
        Boolean inforce = null;
        for (X12Loop eligibility : name.loops(benefitLoop)) {
            X12Segment eb = eligibility.segment("EB").orElseThrow();
            String info = eb.element(1);
            if (info.equals("1")) {
                inforce = Boolean.TRUE;
            } else if (info.equals("6") && inforce == null) {
                inforce = Boolean.FALSE;
            }
            errors(eligibility, r);
            CoverageEligibilityResponse.ItemsComponent item = insurance.addItem();
            // EB03: service type codes (repeating), e.g. 30 health benefit plan coverage
            String serviceTypes = eb.element(3);
            if (!serviceTypes.isEmpty()) {
                item.setCategory(new CodeableConcept(new Coding(X12Codes.SERVICE_TYPE,
                        eb.repetitions(3).get(0), null)));
            }
            // EB05 plan coverage description
            if (!eb.element(5).isEmpty()) {
                item.setDescription(eb.element(5));
            }
            if (!eb.element(2).isEmpty()) {
                item.setUnit(new CodeableConcept().setText("coverage level " + eb.element(2)));
            }
            if (!eb.element(6).isEmpty()) {
                item.setTerm(new CodeableConcept().setText("time period " + eb.element(6)));
            }
            // EB12 in plan network: Y in network, N out of network, W not applicable
            if (!eb.element(12).isEmpty()) {
                item.setNetwork(new CodeableConcept().setText("in plan network " + eb.element(12)));
            }
            CoverageEligibilityResponse.BenefitComponent benefit = item.addBenefit();
            benefit.setType(new CodeableConcept(new Coding(X12Codes.ELIGIBILITY_BENEFIT, info, null)));
            if (!eb.element(7).isEmpty()) {
                benefit.setAllowed(X12Codes.usd(eb.element(7)));
            } else if (!eb.element(8).isEmpty()) {
                benefit.setAllowed(new org.hl7.fhir.r4.model.StringType(
                        new BigDecimal(eb.element(8)).movePointRight(2).stripTrailingZeros().toPlainString() + "%"));
            } else {
                item.setBenefit(null);
            }
            eligibility.segments("MSG").forEach(msg -> item.setDescription(
                    (item.hasDescription() ? item.getDescription() + " " : "") + msg.element(1)));
        }
        if (inforce != null) {
            insurance.setInforce(inforce);
        }
        return r;
    }

    private static CoverageEligibilityResponse base(Date created, Reference insurer) {
        CoverageEligibilityResponse r = new CoverageEligibilityResponse();
        r.setStatus(CoverageEligibilityResponse.EligibilityResponseStatus.ACTIVE);
        r.addPurpose(CoverageEligibilityResponse.EligibilityResponsePurpose.BENEFITS);
        r.setCreated(created);
        r.setInsurer(insurer);
        r.setOutcome(Enumerations.RemittanceOutcome.COMPLETE);
        r.setRequest(new Reference().setDisplay("270 eligibility inquiry"));
        return r;
    }

    /** AAA request validation: AAA01 Y/N valid request, AAA03 reject reason, AAA04 follow-up action. */
    private static void errors(X12Loop loop, CoverageEligibilityResponse r) {
        for (X12Segment aaa : loop.segments("AAA")) {
            r.addError().setCode(new CodeableConcept(new Coding(X12Codes.AAA_REJECT_REASON, aaa.element(3), null))
                    .setText("follow-up action " + aaa.element(4)));
            r.setOutcome(Enumerations.RemittanceOutcome.ERROR);
        }
    }
}
