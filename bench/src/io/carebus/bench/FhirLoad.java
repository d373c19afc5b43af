package io.carebus.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * FHIR REST load against the engine's {@code /fhir} (HTTP/1.1, keep-alive, a SMART backend token or basic auth), generated US Core-like data.
 * Modes (each prints one JSON line of figures):
 * <pre>
 *   ingest  BASE USER PASS WORKERS SECONDS LABEL
 *           transaction Bundles of 1 Patient + 2 Encounters + 3 Conditions + 14 Observations (20 resources),
 *           WORKERS concurrent posters for SECONDS
 *   preload BASE USER PASS WORKERS PATIENTS OBS_PER_PATIENT OUT_FILE
 *           PATIENTS transaction Bundles of 1 Patient + OBS_PER_PATIENT Observations (half laboratory, half
 *           vital-signs); writes "patientId identifierValue" lines to OUT_FILE
 *   search  BASE USER PASS CLIENTS SECONDS PATIENT_FILE LABEL
 *           CLIENTS concurrent clients alternating Patient?identifier=system|value and
 *           Observation?patient=ID&amp;category=laboratory on random preloaded patients; every answer checked
 * </pre>
 */
public final class FhirLoad {

    static final String MRN_SYSTEM = "http://hospital.example.org/fhir/sid/mrn";
    static final Pattern LOCATION = Pattern.compile("\"location\"\\s*:\\s*\"(Patient/[^/\"]+)");

    public static void main(String[] args) throws Exception {
        Http http = Http.of(args[1], args[2], args[3]);
        switch (args[0]) {
            case "ingest" -> System.out.println(ingest(http, Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                    args[6]));
            case "preload" -> System.out.println(preload(http, Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                    Integer.parseInt(args[6]), Path.of(args[7])));
            case "search" -> System.out.println(search(http, Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                    Path.of(args[6]), args[7]));
            default -> throw new IllegalArgumentException("ingest | preload | search");
        }
    }

    /** One keep-alive HTTP/1.1 client (its pool opens one connection per concurrent request). */
    record Http(HttpClient client, String base, java.util.function.Supplier<String> auth) {
        /**
         * USER "smart": a SMART backend service (registered with the engineer's PASS, bearer tokens, system/*.cruds),
         * as integrations call the server; otherwise HTTP basic authentication as USER.
         */
        static Http of(String base, String user, String password) throws Exception {
            java.util.function.Supplier<String> auth;
            if ("smart".equals(user)) {
                auth = new SmartBackendToken(base, password, "system/*.cruds");
            } else {
                String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8));
                auth = () -> basic;
            }
            return new Http(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build(), base, auth);
        }

        HttpResponse<String> post(String body) throws IOException, InterruptedException {
            return client.send(HttpRequest.newBuilder(URI.create(base)).timeout(Duration.ofSeconds(120))
                    .header("Authorization", auth.get())
                    .header("Content-Type", "application/fhir+json")
                    .header("Accept", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
            return client.send(HttpRequest.newBuilder(URI.create(base + "/" + pathAndQuery))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", auth.get())
                    .header("Accept", "application/fhir+json")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Lets the workers run for the measured window, stops them, and returns the seconds since {@code start}. */
    static double runFor(int seconds, AtomicBoolean running, List<Future<?>> futures, ExecutorService pool, long start)
            throws Exception {
        Thread.sleep(seconds * 1000L);
        running.set(false);
        for (Future<?> f : futures) {
            f.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return elapsed;
    }

    // ---- ingest -----------------------------------------------------------------------------------------------

    static String ingest(Http http, int workers, int seconds, String label) throws Exception {
        Recorder recorder = new Recorder(3);
        AtomicLong bundles = new AtomicLong();
        AtomicLong resources = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger firstError = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            long seed = System.nanoTime() + w;
            futures.add(pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                while (running.get()) {
                    Generated bundle = clinicalBundle(random, 2, 3, 14);
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = http.post(bundle.json());
                    long t1 = System.nanoTime();
                    if (response.statusCode() == 200 && countCreated(response.body()) == bundle.resources()) {
                        bundles.incrementAndGet();
                        resources.addAndGet(bundle.resources());
                        recorder.recordValue(Math.max(1, (t1 - t0) / 1000));
                    } else {
                        errors.incrementAndGet();
                        if (firstError.getAndIncrement() == 0) {
                            System.err.println("ingest error " + response.statusCode() + ": "
                                    + abbreviate(response.body()));
                        }
                    }
                }
                return null;
            }));
        }
        double elapsed = runFor(seconds, running, futures, pool, start);
        Histogram h = recorder.getIntervalHistogram();
        return String.format("{\"label\":\"%s\",\"workers\":%d,\"bundle_resources\":20,\"bundles\":%d,"
                        + "\"resources\":%d,\"errors\":%d,\"seconds\":%.2f,\"resources_per_s\":%.0f,"
                        + "\"bundles_per_s\":%.1f,\"p50_ms\":%.1f,\"p99_ms\":%.1f,\"max_ms\":%.1f}",
                label, workers, bundles.get(), resources.get(), errors.get(), elapsed, resources.get() / elapsed,
                bundles.get() / elapsed, h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                h.getMaxValue() / 1000.0);
    }

    /** Entries of a transaction-response answered 201 Created. */
    static int countCreated(String body) {
        int n = 0;
        for (int i = body.indexOf("\"201 Created\""); i >= 0; i = body.indexOf("\"201 Created\"", i + 1)) {
            n++;
        }
        return n;
    }

    // ---- preload + search -------------------------------------------------------------------------------------

    static String preload(Http http, int workers, int patients, int observations, Path out) throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        AtomicLong resources = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            long seed = 42 + w;
            futures.add(pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                while (next.getAndIncrement() < patients) {
                    Generated bundle = clinicalBundle(random, 0, 0, observations);
                    HttpResponse<String> response = http.post(bundle.json());
                    Matcher m = LOCATION.matcher(response.body());
                    if (response.statusCode() != 200 || !m.find()) {
                        throw new IllegalStateException("preload failed " + response.statusCode() + ": "
                                + abbreviate(response.body()));
                    }
                    lines.add(m.group(1).substring("Patient/".length()) + " " + bundle.mrn());
                    resources.addAndGet(bundle.resources());
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Files.write(out, lines);
        return String.format("{\"label\":\"preload\",\"patients\":%d,\"observations_per_patient\":%d,"
                        + "\"resources\":%d,\"seconds\":%.1f,\"resources_per_s\":%.0f}",
                lines.size(), observations, resources.get(), elapsed, resources.get() / elapsed);
    }

    static String search(Http http, int clients, int seconds, Path patientFile, String label) throws Exception {
        List<String[]> patients = Files.readAllLines(patientFile).stream().map(l -> l.split(" ")).toList();
        Recorder all = new Recorder(3);
        Recorder byIdentifier = new Recorder(3);
        Recorder byPatientCategory = new Recorder(3);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicInteger firstError = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            long seed = System.nanoTime() + c;
            int client = c;
            futures.add(pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                for (int i = client; running.get(); i++) {
                    String[] patient = patients.get(random.nextInt(patients.size()));
                    boolean identifier = i % 2 == 0;
                    String query = identifier
                            ? "Patient?identifier=" + URLEncoder.encode(MRN_SYSTEM + "|" + patient[1],
                                    StandardCharsets.UTF_8)
                            : "Observation?patient=" + patient[0] + "&category=laboratory";
                    long t0 = System.nanoTime();
                    HttpResponse<String> response;
                    try {
                        response = http.get(query);
                    } catch (IOException e) {
                        errors.incrementAndGet();
                        continue;
                    }
                    long micros = Math.max(1, (System.nanoTime() - t0) / 1000);
                    String body = response.body();
                    boolean good = response.statusCode() == 200 && body.contains("\"searchset\"")
                            && (identifier ? body.contains("\"" + patient[1] + "\"")
                                    : body.contains("\"resourceType\":\"Observation\"")
                                            && body.contains("\"Patient/" + patient[0] + "\""));
                    if (good) {
                        ok.incrementAndGet();
                        all.recordValue(micros);
                        (identifier ? byIdentifier : byPatientCategory).recordValue(micros);
                    } else {
                        errors.incrementAndGet();
                        if (firstError.getAndIncrement() == 0) {
                            System.err.println("search error " + response.statusCode() + " on " + query + ": "
                                    + abbreviate(body));
                        }
                    }
                }
                return null;
            }));
        }
        double elapsed = runFor(seconds, running, futures, pool, start);
        Histogram h = all.getIntervalHistogram();
        Histogram hi = byIdentifier.getIntervalHistogram();
        Histogram hp = byPatientCategory.getIntervalHistogram();
        return String.format("{\"label\":\"%s\",\"clients\":%d,\"searches\":%d,\"errors\":%d,\"seconds\":%.2f,"
                        + "\"searches_per_s\":%.0f,\"p50_ms\":%.2f,\"p95_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.1f,"
                        + "\"patient_identifier_p95_ms\":%.2f,\"observation_patient_category_p95_ms\":%.2f}",
                label, clients, ok.get(), errors.get(), elapsed, ok.get() / elapsed,
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(95) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0,
                hi.getValueAtPercentile(95) / 1000.0, hp.getValueAtPercentile(95) / 1000.0);
    }

    static String abbreviate(String s) {
        return s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }

    // ---- generated data ---------------------------------------------------------------------------------------

    record Generated(String json, int resources, String mrn) {
    }

    static final String[] FAMILY = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
            "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
            "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark"};
    static final String[] GIVEN_F = {"Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan",
            "Jessica", "Sarah", "Karen", "Nancy", "Lisa", "Betty", "Margaret", "Sandra", "Ashley", "Emily"};
    static final String[] GIVEN_M = {"James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph",
            "Thomas", "Charles", "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven"};
    static final String[] CITY = {"Boston|MA|02118", "Springfield|IL|62701", "Austin|TX|78701",
            "Portland|OR|97205", "Denver|CO|80202", "Columbus|OH|43215", "Raleigh|NC|27601"};
    /** LOINC vital signs (US Core / FHIR vital-signs profile codes), UCUM unit, plausible range. */
    static final String[][] VITALS = {{"8867-4", "Heart rate", "/min", "55", "110"},
            {"9279-1", "Respiratory rate", "/min", "12", "24"}, {"8310-5", "Body temperature", "Cel", "36", "39"},
            {"29463-7", "Body weight", "kg", "45", "120"}, {"8302-2", "Body height", "cm", "150", "195"},
            {"59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "%", "90", "100"},
            {"39156-5", "Body mass index (BMI) [Ratio]", "kg/m2", "18", "35"}};
    /** LOINC laboratory results. */
    static final String[][] LABS = {{"2339-0", "Glucose [Mass/volume] in Blood", "mg/dL", "70", "180"},
            {"718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", "10", "17"},
            {"2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL", "0.6", "1.4"},
            {"2951-2", "Sodium [Moles/volume] in Serum or Plasma", "mmol/L", "133", "146"},
            {"2823-3", "Potassium [Moles/volume] in Serum or Plasma", "mmol/L", "3.4", "5.3"},
            {"6690-2", "Leukocytes [#/volume] in Blood by Automated count", "10*3/uL", "4", "11"},
            {"4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", "4.5", "9"},
            {"2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "mg/dL", "130", "260"}};
    /** SNOMED CT problems. */
    static final String[][] PROBLEMS = {{"44054006", "Diabetes mellitus type 2"},
            {"38341003", "Hypertensive disorder"}, {"195967001", "Asthma"}, {"55822004", "Hyperlipidemia"},
            {"35489007", "Depressive disorder"}, {"40055000", "Chronic sinusitis"}, {"233604007", "Pneumonia"},
            {"68566005", "Urinary tract infectious disease"}, {"49436004", "Atrial fibrillation"}};

    /**
     * A transaction Bundle: one Patient and its Encounters, Conditions (each on an encounter) and Observations
     * (alternating vital-signs and laboratory), all POSTed and linked by urn:uuid fullUrls.
     */
    static Generated clinicalBundle(SplittableRandom r, int encounters, int conditions, int observations) {
        StringBuilder sb = new StringBuilder(2000 + 900 * (encounters + conditions + observations));
        String mrn = "MRN" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
        String patientUrl = "urn:uuid:" + UUID.randomUUID();
        boolean female = r.nextBoolean();
        LocalDate birth = LocalDate.of(1930 + r.nextInt(85), 1 + r.nextInt(12), 1 + r.nextInt(28));
        String[] city = CITY[r.nextInt(CITY.length)].split("\\|");
        sb.append("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        sb.append("{\"fullUrl\":\"").append(patientUrl).append("\",\"resource\":{\"resourceType\":\"Patient\",")
                .append("\"identifier\":[{\"use\":\"usual\",\"type\":{\"coding\":[{\"system\":")
                .append("\"http://terminology.hl7.org/CodeSystem/v2-0203\",\"code\":\"MR\"}]},\"system\":\"")
                .append(MRN_SYSTEM).append("\",\"value\":\"").append(mrn).append("\"}],\"active\":true,")
                .append("\"name\":[{\"use\":\"official\",\"family\":\"").append(FAMILY[r.nextInt(FAMILY.length)])
                .append("\",\"given\":[\"").append(female ? GIVEN_F[r.nextInt(GIVEN_F.length)]
                        : GIVEN_M[r.nextInt(GIVEN_M.length)]).append("\"]}],")
                .append("\"telecom\":[{\"system\":\"phone\",\"value\":\"555-").append(100 + r.nextInt(900))
                .append('-').append(1000 + r.nextInt(9000)).append("\",\"use\":\"home\"}],")
                .append("\"gender\":\"").append(female ? "female" : "male").append("\",\"birthDate\":\"")
                .append(birth).append("\",\"address\":[{\"line\":[\"").append(1 + r.nextInt(9999))
                .append(" Main Street\"],\"city\":\"").append(city[0]).append("\",\"state\":\"").append(city[1])
                .append("\",\"postalCode\":\"").append(city[2]).append("\",\"country\":\"US\"}]},")
                .append("\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}");
        String[] encounterUrls = new String[encounters];
        LocalDate day = LocalDate.of(2024, 1, 1).plusDays(r.nextInt(600));
        for (int e = 0; e < encounters; e++) {
            encounterUrls[e] = "urn:uuid:" + UUID.randomUUID();
            LocalDate d = day.plusDays(e * 30L);
            sb.append(",{\"fullUrl\":\"").append(encounterUrls[e]).append("\",\"resource\":{")
                    .append("\"resourceType\":\"Encounter\",\"identifier\":[{\"system\":")
                    .append("\"http://hospital.example.org/fhir/sid/visit\",\"value\":\"V").append(mrn).append('-')
                    .append(e).append("\"}],\"status\":\"finished\",\"class\":{\"system\":")
                    .append("\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"AMB\",")
                    .append("\"display\":\"ambulatory\"},\"type\":[{\"coding\":[{\"system\":")
                    .append("\"http://snomed.info/sct\",\"code\":\"185349003\",")
                    .append("\"display\":\"Encounter for check up\"}]}],\"subject\":{\"reference\":\"")
                    .append(patientUrl).append("\"},\"period\":{\"start\":\"").append(d)
                    .append("T09:00:00Z\",\"end\":\"").append(d).append("T09:30:00Z\"}},")
                    .append("\"request\":{\"method\":\"POST\",\"url\":\"Encounter\"}}");
        }
        for (int c = 0; c < conditions; c++) {
            String[] problem = PROBLEMS[r.nextInt(PROBLEMS.length)];
            sb.append(",{\"fullUrl\":\"urn:uuid:").append(UUID.randomUUID()).append("\",\"resource\":{")
                    .append("\"resourceType\":\"Condition\",\"clinicalStatus\":{\"coding\":[{\"system\":")
                    .append("\"http://terminology.hl7.org/CodeSystem/condition-clinical\",\"code\":\"active\"}]},")
                    .append("\"verificationStatus\":{\"coding\":[{\"system\":")
                    .append("\"http://terminology.hl7.org/CodeSystem/condition-ver-status\",")
                    .append("\"code\":\"confirmed\"}]},\"category\":[{\"coding\":[{\"system\":")
                    .append("\"http://terminology.hl7.org/CodeSystem/condition-category\",")
                    .append("\"code\":\"encounter-diagnosis\"}]}],\"code\":{\"coding\":[{\"system\":")
                    .append("\"http://snomed.info/sct\",\"code\":\"").append(problem[0]).append("\",\"display\":\"")
                    .append(problem[1]).append("\"}],\"text\":\"").append(problem[1])
                    .append("\"},\"subject\":{\"reference\":\"").append(patientUrl).append("\"}");
            if (encounters > 0) {
                sb.append(",\"encounter\":{\"reference\":\"").append(encounterUrls[c % encounters]).append("\"}");
            }
            sb.append(",\"onsetDateTime\":\"").append(day).append("\"},")
                    .append("\"request\":{\"method\":\"POST\",\"url\":\"Condition\"}}");
        }
        for (int o = 0; o < observations; o++) {
            boolean lab = o % 2 == 1;
            String[] test = lab ? LABS[r.nextInt(LABS.length)] : VITALS[r.nextInt(VITALS.length)];
            double lo = Double.parseDouble(test[3]);
            double hi = Double.parseDouble(test[4]);
            double value = Math.round((lo + r.nextDouble() * (hi - lo)) * 10) / 10.0;
            String category = lab ? "laboratory" : "vital-signs";
            sb.append(",{\"fullUrl\":\"urn:uuid:").append(UUID.randomUUID()).append("\",\"resource\":{")
                    .append("\"resourceType\":\"Observation\",\"status\":\"final\",\"category\":[{\"coding\":[{")
                    .append("\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\",")
                    .append("\"code\":\"").append(category).append("\",\"display\":\"")
                    .append(lab ? "Laboratory" : "Vital Signs").append("\"}]}],\"code\":{\"coding\":[{")
                    .append("\"system\":\"http://loinc.org\",\"code\":\"").append(test[0])
                    .append("\",\"display\":\"").append(test[1]).append("\"}],\"text\":\"").append(test[1])
                    .append("\"},\"subject\":{\"reference\":\"").append(patientUrl).append("\"}");
            if (encounters > 0) {
                sb.append(",\"encounter\":{\"reference\":\"").append(encounterUrls[o % encounters]).append("\"}");
            }
            sb.append(",\"effectiveDateTime\":\"").append(day.plusDays(o % Math.max(1, encounters) * 30L))
                    .append("T09:15:00Z\",\"valueQuantity\":{\"value\":").append(value).append(",\"unit\":\"")
                    .append(test[2]).append("\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"")
                    .append(test[2]).append("\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}");
        }
        sb.append("]}");
        return new Generated(sb.toString(), 1 + encounters + conditions + observations, mrn);
    }
}
