package io.carebus.fhir.smart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import io.carebus.security.OutboundUrlPolicy;
import io.carebus.security.PublicAddressDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a client's jwks_uri. The URL passes {@link OutboundUrlPolicy} right before each fetch, and the
 * connection goes only to addresses {@link PublicAddressDnsResolver} accepts as it connects: a name that resolved
 * to a public address for the check cannot then send the engine to 127.0.0.1 or a cloud metadata address (DNS
 * rebinding). No redirect is followed (a 3xx answer is an error), and at most {@code sizeLimit} bytes are read.
 */
final class JwksRetriever implements ResourceRetriever, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JwksRetriever.class);

    private final OutboundUrlPolicy outboundUrls;
    private final int sizeLimit;
    private final CloseableHttpClient http;

    JwksRetriever(OutboundUrlPolicy outboundUrls, int timeoutMs, int sizeLimit) {
        this.outboundUrls = outboundUrls;
        this.sizeLimit = sizeLimit;
        Timeout timeout = Timeout.ofMilliseconds(timeoutMs);
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new PublicAddressDnsResolver(outboundUrls))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .build();
    }

    @Override
    public Resource retrieveResource(URL url) throws IOException {
        try {
            outboundUrls.check(url.toString());
        } catch (OutboundUrlPolicy.RefusedUrlException e) {
            log.info("A client's JWKS was not fetched: jwks_uri {}", e.getMessage());
            throw new IOException("jwks_uri " + e.getMessage());
        }
        HttpGet get;
        try {
            get = new HttpGet(url.toURI());
        } catch (URISyntaxException e) {
            throw new IOException("jwks_uri is not a valid URL");
        }
        get.addHeader("Accept", "application/json, application/jwk-set+json");
        return http.execute(get, response -> {
            if (response.getCode() / 100 != 2) {
                throw new IOException("jwks_uri answered HTTP " + response.getCode());
            }
            HttpEntity entity = response.getEntity();
            if (entity == null) {
                throw new IOException("jwks_uri answered no content");
            }
            ContentType type = ContentType.parseLenient(entity.getContentType());
            try (InputStream in = entity.getContent()) {
                return new Resource(readAtMost(in), type == null ? null : type.toString());
            }
        });
    }

    private String readAtMost(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) != -1; ) {
            if (out.size() + n > sizeLimit) {
                throw new IOException("jwks_uri answered more than " + sizeLimit + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
