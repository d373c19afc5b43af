package io.carebus.security;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which URLs the engine may call when a caller chose them (a SMART client's jwks_uri, a Subscription's rest-hook
 * endpoint), so that such a caller cannot make the engine reach its own host, the internal network or a cloud
 * metadata service (server-side request forgery). {@code carebus.security.outbound-urls}:
 * <ul>
 *   <li>https only; http too with {@code allow-http};</li>
 *   <li>never user information in the URL ({@code https://user:secret@host});</li>
 *   <li>unless {@code allow-private-addresses}, a host name that resolves, and to public addresses only: no
 *   loopback, link-local (with 169.254.169.254, the metadata service), site-local (10/8, 172.16/12, 192.168/16),
 *   unique-local IPv6 (fc00::/7), carrier-grade NAT (100.64/10), "this network" (0/8), any-local or multicast
 *   address. Every address the name resolves to must be public.</li>
 * </ul>
 * A name can resolve differently later (DNS rebinding): callers check again right before each call.
 */
public class OutboundUrlPolicy {

    /** Resolves a host name to its addresses ({@link InetAddress#getAllByName} in production). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A URL the engine does not call; the message says why (it names the URL's host, never its path or query). */
    public static class RefusedUrlException extends RuntimeException {
        public RefusedUrlException(String message) {
            super(message, null, false, false);
        }
    }

    private final boolean allowHttp;
    private final boolean allowPrivateAddresses;
    private final Resolver resolver;

    public OutboundUrlPolicy(boolean allowHttp, boolean allowPrivateAddresses) {
        this(allowHttp, allowPrivateAddresses, InetAddress::getAllByName);
    }

    public OutboundUrlPolicy(boolean allowHttp, boolean allowPrivateAddresses, Resolver resolver) {
        this.allowHttp = allowHttp;
        this.allowPrivateAddresses = allowPrivateAddresses;
        this.resolver = resolver;
    }

    /** The secure defaults: https to public addresses only. */
    public static OutboundUrlPolicy strict() {
        return new OutboundUrlPolicy(false, false);
    }

    public boolean allowsHttp() {
        return allowHttp;
    }

    public boolean allowsPrivateAddresses() {
        return allowPrivateAddresses;
    }

    /** Throws {@link RefusedUrlException} unless the engine may call {@code url}. */
    public void check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw new RefusedUrlException("not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new RefusedUrlException(allowHttp ? "must be an https or http URL" : "must be an https URL");
        }
        if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            throw new RefusedUrlException("must not hold user information");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new RefusedUrlException("has no host name");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (allowPrivateAddresses) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new RefusedUrlException("host " + host + " does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            throw new RefusedUrlException("host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                throw new RefusedUrlException("host " + host + " is a local, private or reserved address");
            }
        }
    }

    /** The addresses of {@code host}, from the resolver {@link #check} uses. */
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return resolver.resolve(host);
    }

    /** True if {@code url} passes {@link #check}. */
    public boolean allows(String url) {
        try {
            check(url);
            return true;
        } catch (RefusedUrlException e) {
            return false;
        }
    }

    /** A public unicast address: not loopback, link-local, private, CGNAT, unique-local, multicast or reserved. */
    public static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicV4(b);
        }
        if (address instanceof Inet6Address v6) {
            if ((b[0] & 0xfe) == 0xfc) {
                return false;  // unique local fc00::/7 (RFC 4193)
            }
            if (v6.isIPv4CompatibleAddress() || isIpv4Mapped(b)) {
                // ::a.b.c.d, ::ffff:a.b.c.d: the IPv4 address they carry
                return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]});
            }
        }
        return true;
    }

    private static boolean isPublicV4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 169 && second == 254) {
            return false;  // link-local, with the cloud metadata service 169.254.169.254
        }
        if (first == 100 && (second & 0xc0) == 64) {
            return false;  // carrier-grade NAT 100.64.0.0/10 (RFC 6598): internal in many networks
        }
        if (first == 0 || first == 127 || first == 10 || (first == 172 && (second & 0xf0) == 16)
                || (first == 192 && second == 168) || first >= 224) {
            return false;  // this network, loopback, RFC 1918, multicast and reserved (also as ::/96 or ::ffff:0:0/96)
        }
        return true;
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }
}
