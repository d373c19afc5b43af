package io.carebus.bench;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.carebus.x12.schema.SchemaRegistry;
import io.carebus.x12.validate.GroupResult;
import io.carebus.x12.validate.InterchangeResult;
import io.carebus.x12.validate.TransactionResult;
import io.carebus.x12.validate.X12Handler;
import io.carebus.x12.validate.X12Validator;
import io.xlate.edi.stream.EDIInputFactory;
import io.xlate.edi.stream.EDIStreamEvent;
import io.xlate.edi.stream.EDIStreamReader;

/**
 * X12 parse-and-validate benchmark: generates an 837P or 835 file of the given size, validates it once on one
 * thread (SNIP 1-2 against the implementation-guide schema, SNIP 3 balancing), then reads it with StAEDI and no
 * implementation schema as the baseline. Prints one JSON line.
 * Usage: X12Bench 837|835 FILE SIZE_MB
 */
public final class X12Bench {

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        Path file = Path.of(args[1]);
        long target = Long.parseLong(args[2]) * 1024 * 1024;
        long transactionsWritten = kind.equals("837") ? write837(file, target) : write835(file, target);
        double mb = Files.size(file) / 1048576.0;

        X12Validator validator = new X12Validator(SchemaRegistry.standard(), false);
        // warm-up on the first transactions, so the JIT has compiled the hot paths
        try (InputStream in = new BufferedInputStream(new LimitedStream(Files.newInputStream(file), 8 << 20), 1 << 16)) {
            validator.validate(in);
        }
        System.gc();
        resetPeaks();
        Counter counter = new Counter();
        long t0 = System.nanoTime();
        List<InterchangeResult> results;
        try (InputStream in = Files.newInputStream(file)) {
            results = validator.validate(in, counter);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long peakHeap = peakHeap();
        if (counter.transactions != transactionsWritten || counter.rejected > 0
                || !results.get(0).noteCode().equals("000")) {
            throw new IllegalStateException("validation found " + counter.rejected + " rejected of "
                    + counter.transactions + " (written " + transactionsWritten + "), TA1 " + results.get(0).noteCode());
        }

        // baseline: StAEDI, same file, no implementation schema
        long b0 = System.nanoTime();
        long segments = 0;
        EDIInputFactory factory = EDIInputFactory.newFactory();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             EDIStreamReader reader = factory.createEDIStreamReader(in)) {
            while (reader.hasNext()) {
                if (reader.next() == EDIStreamEvent.START_SEGMENT) {
                    segments++;
                }
            }
        }
        double baselineSeconds = (System.nanoTime() - b0) / 1e9;

        System.out.println(String.format(Locale.ROOT,
                "{\"bench\": \"x12-%s\", \"file_mb\": %.1f, \"transactions\": %d, \"mb_per_s\": %.1f, "
                        + "\"transactions_per_s\": %.0f, \"seconds\": %.2f, \"peak_heap_mb\": %d, "
                        + "\"max_heap_mb\": %d, \"baseline_mb_per_s\": %.1f, \"baseline_segments\": %d, "
                        + "\"ratio_to_baseline\": %.2f}",
                kind, mb, counter.transactions, mb / seconds, counter.transactions / seconds, seconds,
                peakHeap / 1048576, Runtime.getRuntime().maxMemory() / 1048576, mb / baselineSeconds, segments,
                (mb / seconds) / (mb / baselineSeconds)));
    }

    static final class Counter implements X12Handler {
        long transactions;
        long rejected;

        @Override
        public void endTransaction(TransactionResult result) {
            transactions++;
            if (!result.accepted()) {
                rejected++;
                if (rejected < 3) {
                    System.err.println("rejected: " + result);
                }
            }
        }

        @Override
        public void endGroup(GroupResult result) {
        }
    }

    static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    static final String ISA = "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*CAREBUS        *261125*1200*^*00501*000000001*0*P*:~\n";

    /** 837P: transactions of 10 claims with 4 service lines each, balanced. */
    static long write837(Path file, long target) throws IOException {
        long transactions = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.ISO_8859_1)) {
            w.write(ISA);
            w.write("GS*HC*SUBMITTER*CAREBUS*20261125*1200*1*X*005010X222A1~\n");
            long written = 0;
            StringBuilder st = new StringBuilder(32 * 1024);
            while (written < target) {
                transactions++;
                st.setLength(0);
                int segments = 0;
                String control = String.format("%04d", transactions % 10000);
                st.append("ST*837*").append(control).append("*005010X222A1~\n");
                st.append("BHT*0019*00*").append(transactions).append("*20261125*1200*CH~\n");
                st.append("NM1*41*2*PREMIER BILLING SERVICE*****46*TGJ23~\n");
                st.append("PER*IC*JERRY*TE*3055552222~\n");
                st.append("NM1*40*2*KEY INSURANCE COMPANY*****46*66783JJT~\n");
                st.append("HL*1**20*1~\n");
                st.append("NM1*85*2*BEN KILDARE SERVICE*****XX*1912301953~\n");
                st.append("N3*234 SEAWAY ST~\nN4*MIAMI*FL*331110000~\nREF*EI*587654321~\n");
                segments += 10;
                int hl = 1;
                for (int c = 0; c < 10; c++) {
                    hl++;
                    st.append("HL*").append(hl).append("*1*22*0~\n");
                    st.append("SBR*P*18*2222-SJ******CI~\n");
                    st.append("NM1*IL*1*SMITH*JANE****MI*JS").append(100000 + c).append("~\n");
                    st.append("N3*236 N MAIN ST~\nN4*MIAMI*FL*33413~\nDMG*D8*19730501*F~\n");
                    st.append("NM1*PR*2*KEY INSURANCE COMPANY*****PI*999996666~\n");
                    st.append("CLM*").append(transactions).append('-').append(c)
                            .append("*100.00***11:B:1*Y*A*Y*I~\n");
                    st.append("HI*ABK:J020*ABF:R509~\n");
                    segments += 9;
                    String[] charges = {"40.00", "15.00", "35.00", "10.00"};
                    for (int l = 0; l < 4; l++) {
                        st.append("LX*").append(l + 1).append("~\n");
                        st.append("SV1*HC:99213*").append(charges[l]).append("*UN*1***1~\n");
                        st.append("DTP*472*D8*20261003~\n");
                        segments += 3;
                    }
                }
                segments++;
                st.append("SE*").append(segments).append('*').append(control).append("~\n");
                w.append(st);
                written += st.length();
            }
            w.write("GE*" + transactions + "*1~\nIEA*1*000000001~\n");
        }
        return transactions;
    }

    /** 835: transactions of 50 claim payments with 3 service lines each and a PLB, balanced. */
    static long write835(Path file, long target) throws IOException {
        long transactions = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.ISO_8859_1)) {
            w.write(ISA);
            w.write("GS*HP*SUBMITTER*CAREBUS*20261125*1200*1*X*005010X221A1~\n");
            long written = 0;
            StringBuilder st = new StringBuilder(64 * 1024);
            StringBuilder claims = new StringBuilder(64 * 1024);
            while (written < target) {
                transactions++;
                st.setLength(0);
                claims.setLength(0);
                int segments = 0;
                String control = String.format("%04d", transactions % 10000);
                long paidCents = 0;
                for (int c = 0; c < 50; c++) {
                    claims.append("CLP*PCN").append(transactions).append('-').append(c)
                            .append("*1*300.00*240.00*20.00*12*EX").append(c).append("~\n");
                    claims.append("CAS*CO*45*40.00~\n");
                    claims.append("NM1*QC*1*SMITH*JANE****MI*JS").append(100000 + c).append("~\n");
                    claims.append("DTM*232*20261001~\n");
                    segments += 4;
                    paidCents += 24000;
                    for (int l = 0; l < 3; l++) {
                        claims.append("SVC*HC:99213*100.00*80.00**1~\n");
                        claims.append("DTM*472*20261001~\n");
                        claims.append("CAS*CO*45*13.33~\n");
                        claims.append("AMT*B6*86.67~\n");
                        segments += 4;
                    }
                }
                long plbCents = 500;
                long total = paidCents - plbCents;
                st.append("ST*835*").append(control).append("~\n");
                st.append("BPR*I*").append(total / 100).append('.').append(String.format("%02d", total % 100))
                        .append("*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20261125~\n");
                st.append("TRN*1*").append(transactions).append("*1512345678~\n");
                st.append("DTM*405*20261125~\n");
                st.append("N1*PR*INSURANCE COMPANY~\nN3*1 MAIN STREET~\nN4*TIMBUCKTU*AK*89111~\n");
                st.append("PER*BL*TECH SUPPORT*TE*8005551212~\n");
                st.append("N1*PE*REGIONAL HOPE HOSPITAL*XX*6543210903~\n");
                st.append("LX*1~\n");
                segments += 10; // ST BPR TRN DTM N1 N3 N4 PER N1 LX
                st.append(claims);
                st.append("PLB*6543210903*20261231*CV:CP*5.00~\n");
                segments += 2;
                st.append("SE*").append(segments).append('*').append(control).append("~\n");
                w.append(st);
                written += st.length();
            }
            w.write("GE*" + transactions + "*1~\nIEA*1*000000001~\n");
        }
        return transactions;
    }

    /** The first bytes of a stream, ending cleanly at a segment boundary is not needed: the validator copes. */
    static final class LimitedStream extends java.io.FilterInputStream {
        private long left;

        LimitedStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            left--;
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
