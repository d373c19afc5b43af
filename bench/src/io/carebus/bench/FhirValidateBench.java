package io.carebus.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationResult;
import io.carebus.fhir.validation.UsCoreSamples;
import io.carebus.fhir.validation.UsCoreValidator;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * bench/run fhir-validate: one thread validates varied US Core 6.1.0 Patients and Observations (parsed from JSON, as
 * a write receives them) with Carebus's validator (the one the server uses) and, in the same run, with HAPI's default
 * validation chain over the same package (the baseline). Per resource: median and p95 milliseconds, wall-clock and
 * CPU time of the thread. Prints one JSON line.
 */
public final class FhirValidateBench {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        FhirContext ctx = FhirContext.forR4();
        Random random = new Random(42);
        List<String> patients = new ArrayList<>();
        List<String> observations = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            patients.add(ctx.newJsonParser().encodeResourceToString(UsCoreSamples.patient(random)));
            observations.add(ctx.newJsonParser().encodeResourceToString(
                    UsCoreSamples.observation(random, "Patient/" + (1000 + i))));
        }

        long t0 = System.nanoTime();
        UsCoreValidator carebus = new UsCoreValidator(ctx);
        long warm = carebus.warmUp(List.of(parse(ctx, patients.get(0)), parse(ctx, observations.get(0))));
        long carebusStartMs = (System.nanoTime() - t0) / 1_000_000;
        Function<IBaseResource, ValidationResult> ours = r -> carebus.validate(r, List.of());

        t0 = System.nanoTime();
        NpmPackageValidationSupport usCore = new NpmPackageValidationSupport(ctx);
        usCore.loadPackageFromClasspath(UsCoreValidator.PACKAGE);
        FhirValidator hapi = ctx.newValidator().registerValidatorModule(new FhirInstanceValidator(
                new ValidationSupportChain(new DefaultProfileValidationSupport(ctx), usCore,
                        new CommonCodeSystemsTerminologyService(ctx), new InMemoryTerminologyServerValidationSupport(ctx),
                        new SnapshotGeneratingValidationSupport(ctx))));
        hapi.validateWithResult(parse(ctx, patients.get(0)));
        long baselineStartMs = (System.nanoTime() - t0) / 1_000_000;
        Function<IBaseResource, ValidationResult> baseline = hapi::validateWithResult;

        // warm both (JIT, caches), alternating so that neither has the machine to itself
        for (int round = 0; round < 3; round++) {
            run(ctx, patients, ours, count / 4);
            run(ctx, patients, baseline, count / 4);
            run(ctx, observations, ours, count / 4);
            run(ctx, observations, baseline, count / 4);
        }
        double[][] p = run(ctx, patients, ours, count);
        double[][] o = run(ctx, observations, ours, count);
        double[][] bp = run(ctx, patients, baseline, count);
        double[][] bo = run(ctx, observations, baseline, count);

        System.out.printf(Locale.ROOT, "{\"bench\":\"fhir-validate\",\"threads\":1,\"resources_per_type\":%d,"
                        + "\"patient_median_ms\":%.2f,\"patient_p95_ms\":%.2f,"
                        + "\"observation_median_ms\":%.2f,\"observation_p95_ms\":%.2f,"
                        + "\"baseline_patient_median_ms\":%.2f,\"baseline_patient_p95_ms\":%.2f,"
                        + "\"baseline_observation_median_ms\":%.2f,\"baseline_observation_p95_ms\":%.2f,"
                        + "\"cpu\":{\"patient_median_ms\":%.2f,\"patient_p95_ms\":%.2f,\"observation_median_ms\":%.2f,"
                        + "\"observation_p95_ms\":%.2f,\"baseline_patient_median_ms\":%.2f,"
                        + "\"baseline_observation_median_ms\":%.2f},"
                        + "\"errors\":%d,\"baseline_errors\":%d,\"startup_ms\":%d,\"warmup_ms\":%d,\"baseline_startup_ms\":%d,"
                        + "\"baseline\":\"HAPI FhirInstanceValidator over ValidationSupportChain(DefaultProfile, NPM US Core"
                        + " 6.1.0, CommonCodeSystems, InMemoryTerminology, SnapshotGenerating), warm\"}%n",
                count, p[0][0], p[0][1], o[0][0], o[0][1], bp[0][0], bp[0][1], bo[0][0], bo[0][1],
                p[1][0], p[1][1], o[1][0], o[1][1], bp[1][0], bo[1][0],
                (long) (p[2][0] + o[2][0]), (long) (bp[2][0] + bo[2][0]), carebusStartMs, warm, baselineStartMs);
    }

    private static IBaseResource parse(FhirContext ctx, String json) {
        return ctx.newJsonParser().parseResource(json);
    }

    /** @return {wall median, wall p95}, {cpu median, cpu p95}, {error messages} in milliseconds */
    private static double[][] run(FhirContext ctx, List<String> samples, Function<IBaseResource, ValidationResult> v,
            int count) {
        double[] wall = new double[count];
        double[] cpu = new double[count];
        long errors = 0;
        for (int i = 0; i < count; i++) {
            String json = samples.get(i % samples.size());
            long c0 = THREADS.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            ValidationResult result = v.apply(parse(ctx, json));
            wall[i] = (System.nanoTime() - w0) / 1e6;
            cpu[i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
            errors += result.getMessages().stream().filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR
                    || m.getSeverity() == ResultSeverityEnum.FATAL).count();
        }
        return new double[][] {percentiles(wall), percentiles(cpu), {errors}};
    }

    private static double[] percentiles(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new double[] {sorted[sorted.length / 2], sorted[(int) Math.ceil(sorted.length * 0.95) - 1]};
    }
}
