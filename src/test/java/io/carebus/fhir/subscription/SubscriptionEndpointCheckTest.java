package io.carebus.fhir.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.net.InetAddress;
import java.net.UnknownHostException;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import io.carebus.security.OutboundUrlPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rest-hook endpoints under carebus.security.outbound-urls at its defaults (https, public addresses only): refused
 * when a Subscription is written, and again at each delivery.
 */
class SubscriptionEndpointCheckTest {

    /** Resolves without DNS: hooks.example.org is public, rebinding.example.org now resolves to 127.0.0.1. */
    private static InetAddress[] resolve(String host) throws UnknownHostException {
        return switch (host) {
            case "hooks.example.org" -> new InetAddress[] {
                    InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 215, 14})};
            case "rebinding.example.org" -> new InetAddress[] {
                    InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
            default -> {
                if (Character.isDigit(host.charAt(0)) || host.contains(":")) {
                    yield new InetAddress[] {InetAddress.getByName(host)};
                }
                throw new UnknownHostException(host);
            }
        };
    }

    private static final OutboundUrlPolicy STRICT = new OutboundUrlPolicy(false, false,
            SubscriptionEndpointCheckTest::resolve);

    private final SubscriptionEndpointCheck check = new SubscriptionEndpointCheck(STRICT);

    private static Subscription restHook(String endpoint) {
        Subscription subscription = new Subscription();
        subscription.setId("Subscription/s1");
        subscription.setStatus(Subscription.SubscriptionStatus.ACTIVE);
        subscription.setCriteria("Observation?code=1234-5");
        subscription.getChannel().setType(Subscription.SubscriptionChannelType.RESTHOOK).setEndpoint(endpoint)
                .setPayload("application/fhir+json");
        return subscription;
    }

    @Test
    void aPublicHttpsEndpointIsAccepted() {
        assertThatCode(() -> check.subscriptionCreated(restHook("https://hooks.example.org/notify")))
                .doesNotThrowAnyException();
        assertThatCode(() -> check.subscriptionUpdated(restHook("https://hooks.example.org/old"),
                restHook("https://hooks.example.org/notify"))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/actuator/env", "https://127.0.0.1:8080/actuator/env",
            "https://localhost/hook", "https://[::1]/hook", "https://169.254.169.254/latest/meta-data/",
            "https://10.1.2.3/hook", "https://rebinding.example.org/hook", "https://nowhere.invalid/hook",
            "https://user:pw@hooks.example.org/hook", "http://hooks.example.org/hook", "file:///etc/passwd"})
    void anEndpointTheEngineMustNotCallIsRefusedWith422NamingTheElement(String endpoint) {
        for (Runnable write : new Runnable[] {() -> check.subscriptionCreated(restHook(endpoint)),
                () -> check.subscriptionUpdated(restHook("https://hooks.example.org/hook"), restHook(endpoint))}) {
            assertThatThrownBy(write::run).isInstanceOfSatisfying(UnprocessableEntityException.class, e -> {
                assertThat(e.getStatusCode()).isEqualTo(422);
                assertThat(e.getMessage()).contains("Subscription.channel.endpoint");
                OperationOutcome outcome = (OperationOutcome) e.getOperationOutcome();
                assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
                assertThat(outcome.getIssueFirstRep().getExpression().get(0).getValue())
                        .isEqualTo("Subscription.channel.endpoint");
                assertThat(outcome.getIssueFirstRep().getDiagnostics()).startsWith("Subscription.channel.endpoint ");
            });
        }
    }

    /**
     * The engine sets error on a subscription whose deliveries fail, also when its endpoint is now refused: the
     * check applies again when the subscription is requested again.
     */
    @Test
    void aSubscriptionInErrorOrOffIsCheckedWhenItIsRequestedAgain() {
        Subscription refused = restHook("https://rebinding.example.org/hook");
        for (Subscription.SubscriptionStatus status : new Subscription.SubscriptionStatus[] {
                Subscription.SubscriptionStatus.ERROR, Subscription.SubscriptionStatus.OFF}) {
            assertThatCode(() -> check.subscriptionUpdated(restHook("https://rebinding.example.org/hook"),
                    refused.copy().setStatus(status))).doesNotThrowAnyException();
        }
        assertThatThrownBy(() -> check.subscriptionUpdated(refused.copy()
                .setStatus(Subscription.SubscriptionStatus.ERROR), refused.copy()
                .setStatus(Subscription.SubscriptionStatus.REQUESTED)))
                .isInstanceOf(UnprocessableEntityException.class);
    }

    @Test
    void otherResourcesAndSubscriptionsWithoutARestHookEndpointAreLeftToHapi() {
        assertThatCode(() -> check.subscriptionCreated(new OperationOutcome())).doesNotThrowAnyException();
        Subscription noEndpoint = restHook(null);
        assertThatCode(() -> check.subscriptionCreated(noEndpoint)).doesNotThrowAnyException();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDeliveryToAnEndpointRefusedNowFailsIntoTheRetryPath() throws Exception {
        // written while the name resolved to a public address; it now resolves to the engine's own host
        Subscription subscription = restHook("https://rebinding.example.org/hook");
        DaoRegistry daoRegistry = mock(DaoRegistry.class);
        IFhirResourceDao<Subscription> dao = mock(IFhirResourceDao.class);
        when(daoRegistry.getResourceDao(Subscription.class)).thenReturn(dao);
        when(dao.read(any(IdType.class), any(RequestDetails.class))).thenReturn(subscription);
        SubscriptionDeliveryLedger ledger = new SubscriptionDeliveryLedger();
        SubscriptionDelivery delivery = new SubscriptionDelivery(daoRegistry, 3, new SimpleMeterRegistry(), ledger,
                STRICT, new SubscriptionErrorStatus(daoRegistry));

        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getMessage().setHeader(SubscriptionHeaders.SUBSCRIPTION_ID, "Subscription/s1");
            exchange.getMessage().setHeader(SubscriptionHeaders.JMS_DELIVERY_COUNT, 1);
            assertThatThrownBy(() -> delivery.prepare(exchange))
                    .isInstanceOf(OutboundUrlPolicy.RefusedUrlException.class)
                    .hasMessage("Subscription.channel.endpoint host rebinding.example.org is a local, private or "
                            + "reserved address");
            assertThat(exchange.getMessage().getHeader(Exchange.HTTP_URI)).isNull();

            // the route's error handler: a failed attempt, retried by the broker, shown in $status
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new OutboundUrlPolicy.RefusedUrlException(
                    "Subscription.channel.endpoint host rebinding.example.org is a local, private or reserved address"));
            assertThat(delivery.isLastAttempt(exchange)).isFalse();
            delivery.failed(exchange);
            assertThat(ledger.outcomes("Subscription/s1").orElseThrow().lastError())
                    .contains("endpoint refused (carebus.security.outbound-urls)");
            assertThat(exchange.getMessage().getHeader(SubscriptionHeaders.ERROR, String.class))
                    .contains("Subscription.channel.endpoint host rebinding.example.org");
        }
    }
}
