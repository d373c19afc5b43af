package io.carebus.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

import io.carebus.security.OutboundUrlPolicy.RefusedUrlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundUrlPolicyTest {

    /** Names resolved without DNS: a public one, an internal one, one that rebinds to both, and literals. */
    private static final Map<String, String[]> NAMES = Map.of(
            "public.example", new String[] {"93.184.215.14"},
            "internal.example", new String[] {"10.1.2.3"},
            "mixed.example", new String[] {"93.184.215.14", "127.0.0.1"});

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String[] literals = NAMES.get(host);
        if (literals == null) {
            if (!Character.isDigit(host.charAt(0)) && !host.contains(":")) {
                throw new UnknownHostException(host);
            }
            literals = new String[] {host};
        }
        InetAddress[] addresses = new InetAddress[literals.length];
        for (int i = 0; i < literals.length; i++) {
            addresses[i] = InetAddress.getByName(literals[i]);  // a literal: no lookup
        }
        return addresses;
    }

    private final OutboundUrlPolicy strict = new OutboundUrlPolicy(false, false, OutboundUrlPolicyTest::resolve);

    @Test
    void publicHttpsUrlIsAllowed() {
        assertThatCode(() -> strict.check("https://public.example/jwks.json")).doesNotThrowAnyException();
        assertThatCode(() -> strict.check("https://public.example:8443/hook?x=1")).doesNotThrowAnyException();
        assertThatCode(() -> strict.check("https://[2606:2800:220:1:248:1893:25c8:1946]/hook"))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://public.example/hook", "ftp://public.example/x", "file:///etc/passwd",
            "jar:https://public.example/x.jar!/", "public.example/hook", "gopher://public.example/"})
    void onlyHttpsByDefault(String url) {
        assertThatThrownBy(() -> strict.check(url)).isInstanceOf(RefusedUrlException.class)
                .hasMessageContaining("https");
    }

    @Test
    void httpOnlyWhenAllowed() {
        OutboundUrlPolicy http = new OutboundUrlPolicy(true, false, OutboundUrlPolicyTest::resolve);
        assertThatCode(() -> http.check("http://public.example/hook")).doesNotThrowAnyException();
        assertThatThrownBy(() -> http.check("ftp://public.example/x")).isInstanceOf(RefusedUrlException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://user:secret@public.example/hook", "https://user@public.example/hook",
            "https://public.example@127.0.0.1/hook"})
    void userInformationIsRefused(String url) {
        assertThatThrownBy(() -> strict.check(url)).isInstanceOf(RefusedUrlException.class)
                .hasMessageContaining("user information");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/", "https://127.1.2.3:8080/actuator/env", "https://[::1]/",
            "https://10.0.0.5/", "https://172.16.0.1/", "https://172.31.255.254/", "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data/", "https://169.254.10.10/", "https://100.64.0.1/",
            "https://100.127.255.254/", "https://0.0.0.0/", "https://[::]/", "https://224.0.0.1/",
            "https://[fc00::1]/", "https://[fd12:3456::1]/", "https://[fe80::1]/", "https://[ff02::1]/",
            "https://[::ffff:10.0.0.1]/", "https://[::127.0.0.1]/", "https://internal.example/hook",
            "https://mixed.example/hook"})
    void localPrivateAndReservedAddressesAreRefused(String url) {
        assertThatThrownBy(() -> strict.check(url)).isInstanceOf(RefusedUrlException.class)
                .hasMessageContaining("local, private or reserved address");
    }

    @Test
    void addressesNextToThePrivateRangesArePublic() {
        for (String url : new String[] {"https://172.32.0.1/", "https://172.15.255.255/", "https://100.128.0.1/",
                "https://100.63.255.255/", "https://192.169.0.1/", "https://11.0.0.1/"}) {
            assertThat(strict.allows(url)).as(url).isTrue();
        }
    }

    @Test
    void aNameThatDoesNotResolveIsRefused() {
        assertThatThrownBy(() -> strict.check("https://nowhere.invalid/hook"))
                .isInstanceOf(RefusedUrlException.class).hasMessageContaining("does not resolve");
    }

    @Test
    void malformedUrlsAreRefused() {
        assertThat(strict.allows(null)).isFalse();
        assertThat(strict.allows("https://exa mple/")).isFalse();
        assertThat(strict.allows("https:///path-only")).isFalse();
    }

    @Test
    void privateAddressesOnlyWhenAllowed() {
        OutboundUrlPolicy dev = new OutboundUrlPolicy(true, true, OutboundUrlPolicyTest::resolve);
        assertThat(dev.allows("http://127.0.0.1:8080/hook")).isTrue();
        assertThat(dev.allows("https://internal.example/jwks")).isTrue();
        assertThat(dev.allows("https://nowhere.invalid/hook")).isTrue();  // not resolved at all
        // user information and other schemes stay refused
        assertThat(dev.allows("http://user:pw@127.0.0.1/hook")).isFalse();
        assertThat(dev.allows("file:///etc/passwd")).isFalse();
    }

    @Test
    void theDefaultsAreStrict() {
        OutboundUrlPolicy defaults = OutboundUrlPolicy.strict();
        assertThat(defaults.allowsHttp()).isFalse();
        assertThat(defaults.allowsPrivateAddresses()).isFalse();
        assertThat(defaults.allows("https://localhost/hook")).isFalse();
        assertThat(defaults.allows("https://127.0.0.1/hook")).isFalse();
    }
}
