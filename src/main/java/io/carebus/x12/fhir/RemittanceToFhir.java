package io.carebus.x12.fhir;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import io.carebus.x12.read.X12Segment;
import io.carebus.x12.tree.X12Loop;
import io.carebus.x12.tree.X12Transaction;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;
import org.hl7.fhir.r4.model.PaymentReconciliation;
import org.hl7.fhir.r4.model.Reference;

/**
 * 835 (005010X221A1) to FHIR: one ExplanationOfBenefit per claim payment (2100 CLP) with the CAS group and reason
 * codes as adjudications, service lines (2110 SVC) as items, and one PaymentReconciliation per payment (BPR, TRN)
 * with a detail per claim and per provider adjustment (PLB).
 */
public final class RemittanceToFhir {

    /** One bundle per claim payment (an EOB with its patient, payer and payee): one posting event per claim. */
    public List<Bundle> claimPayments(X12Transaction t) {
        X12Loop root = t.root();
        List<Bundle> out = new ArrayList<>();
        Date created = created(root);
        for (X12Loop claim : root.descendants("2100")) {
            Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
            Parties parties = new Parties(bundle);
            Reference payer = parties.organization(root.loop("1000A").orElseThrow(), "N1");
            Reference payee = parties.organization(root.loop("1000B").orElseThrow(), "N1");
            parties.add(explanationOfBenefit(claim, created, payer, payee, parties));
            out.add(bundle);
        }
        return out;
    }

    /** Everything of one 835: the PaymentReconciliation and every claim payment, in one collection bundle. */
    public Bundle bundle(X12Transaction t) {
        X12Loop root = t.root();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        Parties parties = new Parties(bundle);
        Reference payer = parties.organization(root.loop("1000A").orElseThrow(), "N1");
        Reference payee = parties.organization(root.loop("1000B").orElseThrow(), "N1");
        Date created = created(root);
        for (X12Loop claim : root.descendants("2100")) {
            parties.add(explanationOfBenefit(claim, created, payer, payee, parties));
        }
        parties.add(paymentReconciliation(root, created, payer, payee));
        return bundle;
    }

    /** BPR/TRN: the payment; a detail per claim (CLP04) and per PLB adjustment. */
    PaymentReconciliation paymentReconciliation(X12Loop root, Date created, Reference payer, Reference payee) {
        X12Segment bpr = root.segment("BPR").orElseThrow();
        PaymentReconciliation p = new PaymentReconciliation();
        p.setStatus(PaymentReconciliation.PaymentReconciliationStatus.ACTIVE);
        p.setCreated(created);
        // TRN02: check or EFT trace number, TRN03: payer identifier
        root.segment("TRN").ifPresent(trn -> p.addIdentifier().setSystem(X12Codes.TRACE_NUMBER)
                .setValue(trn.element(2)));
        Date paymentDate = X12Codes.date(bpr.element(16));
        p.setPaymentDate(paymentDate != null ? paymentDate : created);
        p.setPaymentAmount(X12Codes.usd(bpr.element(2)));
        p.setPaymentIssuer(payer);
        p.setRequestor(payee);
        p.setOutcome(Enumerations.RemittanceOutcome.COMPLETE);
        p.setDisposition("BPR01 " + bpr.element(1) + ", payment method " + bpr.element(4));
        for (X12Loop claim : root.descendants("2100")) {
            X12Segment clp = claim.segment("CLP").orElseThrow();
            PaymentReconciliation.DetailsComponent d = p.addDetail();
            d.setType(new CodeableConcept(new Coding(X12Codes.PAYMENT_TYPE, "payment", "Payment")));
            d.getIdentifier().setSystem(X12Codes.PATIENT_CONTROL_NUMBER).setValue(clp.element(1));
            d.setAmount(X12Codes.usd(clp.element(4)));
        }
        for (X12Segment plb : root.segments("PLB")) {
            for (int e = 3; e <= 13; e += 2) {
                if (plb.element(e).isEmpty()) {
                    continue;
                }
                // PLB03-1 adjustment reason (e.g. WO, L6), PLB04 amount: a positive adjustment reduces the payment
                PaymentReconciliation.DetailsComponent d = p.addDetail();
                d.setType(new CodeableConcept(new Coding(X12Codes.PAYMENT_TYPE, "adjustment", "Adjustment"))
                        .setText("PLB " + plb.component(e, 1)));
                d.getIdentifier().setSystem(X12Codes.PATIENT_CONTROL_NUMBER).setValue(plb.component(e, 2).isEmpty()
                        ? plb.element(1) : plb.component(e, 2));
                d.setAmount(X12Codes.usd(new BigDecimal(plb.element(e + 1)).negate().toPlainString()));
            }
        }
        return p;
    }

    ExplanationOfBenefit explanationOfBenefit(X12Loop claim, Date created, Reference payer, Reference payee,
                                              Parties parties) {
        X12Segment clp = claim.segment("CLP").orElseThrow();
        ExplanationOfBenefit eob = new ExplanationOfBenefit();
        eob.setStatus(ExplanationOfBenefit.ExplanationOfBenefitStatus.ACTIVE);
        // CLP08 facility code present on institutional claims
        boolean institutional = claim.segment("MIA").isPresent();
        eob.setType(new CodeableConcept(new Coding(X12Codes.CLAIM_TYPE,
                institutional ? "institutional" : "professional", null)));
        eob.setUse(ExplanationOfBenefit.Use.CLAIM);
        eob.addIdentifier().setSystem(X12Codes.PATIENT_CONTROL_NUMBER).setValue(clp.element(1));
        if (!clp.element(7).isEmpty()) {
            eob.addIdentifier().setSystem(X12Codes.PAYER_CLAIM_NUMBER).setValue(clp.element(7));
        }
        X12Loop patientLoop = claimPatient(claim);
        eob.setPatient(parties.patient(patientLoop));
        eob.setCreated(created);
        eob.setInsurer(payer);
        eob.setProvider(payee);
        // CLP02 claim status: 1 processed as primary ... 4 denied, 22 reversal of previous payment
        eob.setOutcome(ExplanationOfBenefit.RemittanceOutcome.COMPLETE);
        eob.setDisposition("CLP02 " + clp.element(2));
        eob.addInsurance().setFocal(true).setCoverage(new Reference().setDisplay("claim filing indicator "
                + clp.element(6)));
        for (X12Segment cas : claim.segments("CAS")) {
            adjustments(cas).forEach(eob::addAdjudication);
        }
        eob.addTotal().setCategory(category("submitted")).setAmount(X12Codes.usd(clp.element(3)));
        eob.addTotal().setCategory(category("benefit")).setAmount(X12Codes.usd(clp.element(4)));
        if (!clp.element(5).isEmpty()) {
            eob.addTotal().setCategory(new CodeableConcept().setText("patient responsibility (CLP05)"))
                    .setAmount(X12Codes.usd(clp.element(5)));
        }
        int sequence = 0;
        for (X12Loop line : claim.loops("2110")) {
            X12Segment svc = line.segment("SVC").orElseThrow();
            ExplanationOfBenefit.ItemComponent item = eob.addItem().setSequence(++sequence);
            // SVC01-1 qualifier (HC: HCPCS/CPT), SVC01-2 procedure code, SVC01-3.. modifiers
            item.setProductOrService(new CodeableConcept(new Coding(
                    "HC".equals(svc.component(1, 1)) ? X12Codes.CPT : X12Codes.HCPCS, svc.component(1, 2), null)));
            line.segment("DTM", "472").ifPresent(dtm -> item.setServiced(new org.hl7.fhir.r4.model.DateType(
                    X12Codes.date(dtm.element(2)))));
            item.addAdjudication().setCategory(category("submitted")).setAmount(X12Codes.usd(svc.element(2)));
            item.addAdjudication().setCategory(category("benefit")).setAmount(X12Codes.usd(svc.element(3)));
            for (X12Segment cas : line.segments("CAS")) {
                adjustments(cas).forEach(item::addAdjudication);
            }
        }
        return eob;
    }

    private static X12Loop claimPatient(X12Loop claim) {
        // 2100 NM1*QC patient name; the tree keeps 2100 segments in the claim loop
        X12Loop patient = new X12Loop("patient");
        claim.segment("NM1", "QC").ifPresent(nm1 -> patient.children().add(nm1));
        if (patient.children().isEmpty()) {
            throw new X12FhirException("835 claim payment without the NM1*QC patient");
        }
        return patient;
    }

    /** CAS: group code (CAS01) with up to six reason code / amount / quantity triplets. */
    static List<ExplanationOfBenefit.AdjudicationComponent> adjustments(X12Segment cas) {
        List<ExplanationOfBenefit.AdjudicationComponent> out = new ArrayList<>();
        for (int e = 2; e <= 17; e += 3) {
            if (cas.element(e).isEmpty()) {
                continue;
            }
            ExplanationOfBenefit.AdjudicationComponent a = new ExplanationOfBenefit.AdjudicationComponent();
            a.setCategory(new CodeableConcept(new Coding(X12Codes.CAS_GROUP, cas.element(1), null)));
            a.setReason(new CodeableConcept(new Coding(X12Codes.CARC, cas.element(e), null)));
            a.setAmount(X12Codes.usd(cas.element(e + 1)));
            if (!cas.element(e + 2).isEmpty()) {
                a.setValue(new BigDecimal(cas.element(e + 2)));
            }
            out.add(a);
        }
        return out;
    }

    private static CodeableConcept category(String code) {
        return new CodeableConcept(new Coding(X12Codes.ADJUDICATION, code, null));
    }

    /** DTM*405 production date, else the BPR16 payment date. */
    private static Date created(X12Loop root) {
        return root.segment("DTM", "405").map(d -> X12Codes.date(d.element(2)))
                .orElseGet(() -> X12Codes.date(root.value("BPR", 16)));
    }
}
