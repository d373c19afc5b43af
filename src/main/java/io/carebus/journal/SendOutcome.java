package io.carebus.journal;

import java.util.EnumSet;
import java.util.Set;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;

/**
 * Whether a JMS send that failed after the message was handed to the producer may still have left it with the
 * broker. Artemis answers a send it refuses with the reason (address full, no such address, not allowed...): that
 * message is certainly not stored. A send whose answer never came (the call timed out, the connection dropped while
 * it waited, a commit whose outcome is unknown) may have been stored and may be consumed.
 */
final class SendOutcome {

    /** Failures the Artemis client raises itself when no answer came; the broker may have taken the message. */
    private static final Set<ActiveMQExceptionType> UNANSWERED = EnumSet.of(
            ActiveMQExceptionType.CONNECTION_TIMEDOUT, ActiveMQExceptionType.NOT_CONNECTED,
            ActiveMQExceptionType.DISCONNECTED, ActiveMQExceptionType.UNBLOCKED,
            ActiveMQExceptionType.REMOTE_DISCONNECT, ActiveMQExceptionType.TRANSACTION_OUTCOME_UNKNOWN,
            ActiveMQExceptionType.TIMEOUT_EXCEPTION, ActiveMQExceptionType.REPLICATION_TIMEOUT_ERROR,
            ActiveMQExceptionType.SHUTDOWN_ERROR);

    private SendOutcome() {
    }

    /** True unless the failure is the broker's own refusal of the message. */
    static boolean mayHaveBeenTaken(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ActiveMQException artemis) {
                return UNANSWERED.contains(artemis.getType());
            }
        }
        return true;   // no answer to read: not certain it was refused
    }
}
