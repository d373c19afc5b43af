package io.carebus.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;

/** The addresses a delivery connects to are checked as it connects, not only when its URL was accepted. */
class PublicAddressDnsResolverTest {

    @Test
    void aNameResolvingToALocalAddressIsNotConnectedTo() {
        PublicAddressDnsResolver strict = new PublicAddressDnsResolver(OutboundUrlPolicy.strict());
        assertThatThrownBy(() -> strict.resolve("localhost")).isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("carebus.security.outbound-urls");
        assertThatThrownBy(() -> strict.resolve("127.0.0.1")).isInstanceOf(UnknownHostException.class);
        assertThatThrownBy(() -> strict.resolve("169.254.169.254")).isInstanceOf(UnknownHostException.class);
    }

    @Test
    void publicAddressesAndAllowedPrivateOnesResolve() throws Exception {
        assertThat(new PublicAddressDnsResolver(OutboundUrlPolicy.strict()).resolve("93.184.215.14"))
                .extracting(java.net.InetAddress::getHostAddress).containsExactly("93.184.215.14");
        assertThat(new PublicAddressDnsResolver(new OutboundUrlPolicy(true, true)).resolve("127.0.0.1"))
                .extracting(java.net.InetAddress::isLoopbackAddress).containsExactly(true);
    }
}
