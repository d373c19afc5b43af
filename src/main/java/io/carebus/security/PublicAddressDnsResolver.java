package io.carebus.security;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * Name resolution for HTTP calls to URLs callers chose: the connection goes to the addresses resolved here, and
 * unless {@link OutboundUrlPolicy#allowsPrivateAddresses()} every one of them must be public. The policy's own
 * check resolves the name earlier; without this a name that resolved to a public address then could resolve to
 * 127.0.0.1 when the client connects (DNS rebinding).
 */
public class PublicAddressDnsResolver implements DnsResolver {

    private final OutboundUrlPolicy policy;

    public PublicAddressDnsResolver(OutboundUrlPolicy policy) {
        this.policy = policy;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] addresses = policy.resolve(host);
        if (!policy.allowsPrivateAddresses()) {
            for (InetAddress address : addresses) {
                if (!OutboundUrlPolicy.isPublic(address)) {
                    throw new UnknownHostException(host + " resolves to a local, private or reserved address"
                            + " (carebus.security.outbound-urls)");
                }
            }
        }
        return addresses;
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
    }
}
