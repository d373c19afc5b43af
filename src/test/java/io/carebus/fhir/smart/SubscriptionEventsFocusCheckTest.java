package io.carebus.fhir.smart;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** The focus a Subscription/$events answer names, checked against the token's read scopes. */
class SubscriptionEventsFocusCheckTest {

    private final SubscriptionEventsFocusCheck check = new SubscriptionEventsFocusCheck();

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void aFocusNamedOnlyInTheStatusNeedsAnUnnarrowedReadScopeOnItsType() {
        Bundle answer = events("Observation/lab-1/_history/1", false);   // e.g. the focus expunged since

        signIn("system/Subscription.rs");
        assertThatThrownBy(() -> check.checkFocusReferences(eventsRequest(), answer))
                .isInstanceOf(ForbiddenOperationException.class).hasMessageContaining("Observation");
        signIn("system/Subscription.rs system/Observation.rs?category=laboratory");
        assertThatThrownBy(() -> check.checkFocusReferences(eventsRequest(), answer))
                .isInstanceOf(ForbiddenOperationException.class);
        signIn("system/Subscription.rs system/Observation.rs");
        assertThatCode(() -> check.checkFocusReferences(eventsRequest(), answer)).doesNotThrowAnyException();
    }

    @Test
    void aFocusReturnedInFullIsLeftToTheAuthorizationRules() {
        // the resource itself is in the answer: HAPI's rules evaluate the narrowed scope against it
        signIn("system/Subscription.rs system/Observation.rs?category=laboratory");
        assertThatCode(() -> check.checkFocusReferences(eventsRequest(), events("Observation/lab-1/_history/1", true)))
                .doesNotThrowAnyException();
    }

    @Test
    void otherOperationsAreNotChecked() {
        signIn("system/Subscription.rs");
        SystemRequestDetails status = new SystemRequestDetails();
        status.setOperation("$status");
        assertThatCode(() -> check.checkFocusReferences(status, events("Observation/lab-1", false)))
                .doesNotThrowAnyException();
    }

    /** A history Bundle as $events answers: the SubscriptionStatus, then the focus resource if included. */
    private static Bundle events(String focus, boolean withResource) {
        Parameters status = new Parameters();
        Parameters.ParametersParameterComponent event = status.addParameter().setName("notification-event");
        event.addPart().setName("event-number").setValue(new org.hl7.fhir.r4.model.StringType("1"));
        event.addPart().setName("focus").setValue(new Reference("Observation/lab-1"));
        Bundle bundle = new Bundle().setType(Bundle.BundleType.HISTORY);
        bundle.addEntry().setResource(status);
        if (withResource) {
            Observation observation = new Observation();
            observation.setId(focus);
            bundle.addEntry().setResource(observation).getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl(focus);
        }
        return bundle;
    }

    private static SystemRequestDetails eventsRequest() {
        SystemRequestDetails request = new SystemRequestDetails();
        request.setOperation("$events");
        return request;
    }

    private static void signIn(String scope) {
        Jwt jwt = Jwt.withTokenValue("t").header("alg", "RS384").subject("backend").claim(SmartClaims.CLIENT_ID, "backend")
                .claim(SmartClaims.SCOPE, scope).issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60)).build();
        JwtAuthenticationToken token = new JwtAuthenticationToken(jwt, java.util.List.of());   // authenticated
        SecurityContextHolder.getContext().setAuthentication(token);
    }
}
