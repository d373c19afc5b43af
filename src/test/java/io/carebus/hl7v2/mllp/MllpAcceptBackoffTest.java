package io.carebus.hl7v2.mllp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** A listener whose accept keeps failing waits longer and longer and logs once in a while, not in a hot loop. */
class MllpAcceptBackoffTest {

    @Test
    void theWaitDoublesFromTenMillisecondsToOneSecondAndStartsOverAfterASuccess() {
        AcceptBackoff backoff = new AcceptBackoff();
        long now = 0;
        long[] waits = new long[9];
        for (int i = 0; i < waits.length; i++) {
            waits[i] = backoff.failed(now).waitMs();
            now += TimeUnit.MILLISECONDS.toNanos(waits[i]);
        }
        assertThat(waits).containsExactly(10, 20, 40, 80, 160, 320, 640, 1000, 1000);

        assertThat(backoff.succeeded()).isEqualTo(9);
        assertThat(backoff.failed(now).waitMs()).isEqualTo(10);
    }

    @Test
    void aPersistentFailureIsReportedOnceAtFirstThenAtMostOncePerLongestWait() {
        AcceptBackoff backoff = new AcceptBackoff();
        long ms = TimeUnit.MILLISECONDS.toNanos(1);
        assertThat(backoff.failed(0).toReport()).isEqualTo(1);
        assertThat(backoff.failed(10 * ms).toReport()).isZero();
        assertThat(backoff.failed(30 * ms).toReport()).isZero();
        assertThat(backoff.failed(1000 * ms).toReport()).isEqualTo(3);    // the failures since the last report
        assertThat(backoff.failed(1500 * ms).toReport()).isZero();
        backoff.succeeded();
        assertThat(backoff.failed(1600 * ms).toReport()).isEqualTo(1);     // a new run of failures is reported at once
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aListenerOutOfFileDescriptorsBacksOffAndAcceptsAgainOnceTheyAreBack() throws Exception {
        // the descriptors are used up in a JVM of its own: in this one they would starve everything else
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", classpath, AcceptFailureProbe.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes());
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as(output).contains("PROBE ok");
    }
}
