package io.carebus.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.parser.GenericModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.NoValidation;
import io.carebus.conversion.Hl7v2ToFhirConverter;
import io.carebus.conversion.Hl7v2ToFhirConverters;
import io.carebus.conversion.mapping.ConversionSettings;

/**
 * bench/run hl7v2-fhir: one thread, ER7 text in, transaction Bundle JSON out. Warm-up, then a timed run for
 * ADT^A01 alone and for the mix (ADT A01/A08, ORU R01, SIU S12, VXU V04, DFT P03, MDM T02); allocation per
 * message from the thread's allocated-bytes counter. Baseline: HAPI HL7v2 PipeParser parsing the mix (parse
 * only, no FHIR). Prints one JSON line.
 */
public final class Hl7v2FhirBench {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    interface Work {
        int run(String message) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path samples = Path.of(args.length > 0 ? args[0] : "edi-samples/hl7v2");
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        Hl7v2ToFhirConverter converter = Hl7v2ToFhirConverters.fromDirectory(Path.of("mappings"),
                ConversionSettings.defaults());
        List<String> adt = List.of(read(samples, "adt_a01_ex1.hl7"));
        List<String> mix = new ArrayList<>();
        for (String f : new String[] {"adt_a01_ex1.hl7", "adt_a08_ex1.hl7", "oru_r01_types.hl7", "siu_s12.hl7",
                "vxu_v04.hl7", "dft_p03.hl7", "mdm_t02.hl7"}) {
            mix.add(read(samples, f));
        }
        Work convert = m -> converter.convertToJson(m).length();
        run(mix, convert, seconds / 2);          // warm-up
        run(adt, convert, seconds / 2);
        double[] adtResult = run(adt, convert, seconds);
        double[] mixResult = run(mix, convert, seconds);

        HapiContext hapi = new DefaultHapiContext();
        hapi.setValidationContext(new NoValidation());
        hapi.setModelClassFactory(new GenericModelClassFactory());
        PipeParser parser = hapi.getPipeParser();
        Work parse = m -> parser.parse(m).getName().length();
        // HAPI reads MSH-12 wrongly when it is the last field of MSH: give those messages an empty MSH-13
        List<String> hapiMix = mix.stream().map(Hl7v2FhirBench::withMsh13).toList();
        run(hapiMix, parse, seconds / 2);
        double[] baseline = run(hapiMix, parse, seconds);

        System.out.printf(java.util.Locale.ROOT,
                "{\"bench\":\"hl7v2-fhir\",\"threads\":1,\"adt_a01_msgs_per_s\":%.0f,\"mix_msgs_per_s\":%.0f,"
                        + "\"bytes_allocated_per_msg\":%.0f,\"adt_a01_bytes_allocated_per_msg\":%.0f,"
                        + "\"adt_a01_msgs_per_wall_s\":%.0f,\"mix_msgs_per_wall_s\":%.0f,"
                        + "\"per\":\"CPU-second of the one benchmark thread\",\"mix_messages\":%d,\"baseline\":{\"what\":\"HAPI HL7v2 PipeParser (generic model) parse of the mix, no FHIR\","
                        + "\"msgs_per_s\":%.0f,\"bytes_allocated_per_msg\":%.0f}}%n",
                adtResult[0], mixResult[0], mixResult[1], adtResult[1], adtResult[2], mixResult[2], mix.size(),
                baseline[0], baseline[1]);
    }

    /**
     * @return messages per CPU-second of this thread (per core: what a shared, busy machine can still measure),
     *         bytes allocated per message, and messages per wall-clock second
     */
    private static double[] run(List<String> messages, Work work, double seconds) throws Exception {
        long tid = Thread.currentThread().getId();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long count = 0;
        long sink = 0;
        long bytes0 = THREADS.getThreadAllocatedBytes(tid);
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        while (System.nanoTime() < deadline) {
            for (String m : messages) {
                sink += work.run(m);
                count++;
            }
        }
        long t1 = System.nanoTime();
        long cpu1 = THREADS.getCurrentThreadCpuTime();
        long bytes1 = THREADS.getThreadAllocatedBytes(tid);
        if (sink == 42) {
            System.err.print("");
        }
        return new double[] {count / ((cpu1 - cpu0) / 1e9), (bytes1 - bytes0) / (double) count,
                count / ((t1 - t0) / 1e9)};
    }

    private static String withMsh13(String m) {
        int end = m.indexOf('\r');
        String msh = end < 0 ? m : m.substring(0, end);
        return msh.split("\\|", -1).length <= 12 ? msh + "|" + m.substring(msh.length()) : m;
    }

    private static String read(Path dir, String file) throws java.io.IOException {
        return Files.readString(dir.resolve(file), StandardCharsets.ISO_8859_1);
    }
}
