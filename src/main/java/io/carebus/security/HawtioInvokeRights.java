package io.carebus.security;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;

import io.hawt.jmx.JMXSecurityMBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * What Hawtio's console asks before it offers a JMX operation: the same answer {@link JolokiaAccessFilter} gives
 * when the operation is run, for the user of the request. Hawtio takes the first {@code *:type=security,area=jmx,*}
 * MBean that is not its own dummy (which says yes to everything) and hides or greys out what it is told may not be
 * invoked, so an analyst is not offered buttons that only answer 403. An engineer may invoke everything.
 *
 * <p>Jolokia runs the MBean call on the HTTP request's thread, where Spring Security holds the user. A call
 * without a user (another JMX client) is told no: only Hawtio, through the agent, asks this MBean. (Hawtio's
 * server-side {@code RBACRestrictor}, not configured here, would also ask it, about attribute reads as {@code getX}
 * operations too, and so refuse analysts their reads.)
 */
public class HawtioInvokeRights implements JMXSecurityMBean, SmartLifecycle {

    static final String OBJECT_NAME = "hawtio:type=security,area=jmx,name=CarebusInvokeRights";

    private static final Logger log = LoggerFactory.getLogger(HawtioInvokeRights.class);

    /** The most arguments tried for an operation asked about by name alone. */
    private static final int MAX_ARGUMENTS = 8;

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private volatile boolean running;

    /**
     * An MBean as a whole. Hawtio's contract is "some operation of it may be invoked"; this says yes to every user of
     * the agent (it only decides an icon in the tree), and each operation is answered on its own.
     */
    @Override
    public boolean canInvoke(String objectName) {
        return SecurityContextHolder.getContext().getAuthentication() != null;
    }

    /** An operation named without its signature. */
    @Override
    public boolean canInvoke(String objectName, String methodName) {
        return allowed(objectName, methodName, -1);
    }

    @Override
    public boolean canInvoke(String objectName, String methodName, String[] argumentTypes) {
        if (argumentTypes == null) {
            return allowed(objectName, methodName, -1);
        }
        return allowed(objectName, methodName + "(" + String.join(",", argumentTypes) + ")", argumentTypes.length);
    }

    /**
     * Hawtio's bulk form: MBean name → operations with their signatures ({@code stop()},
     * {@code dumpRouteStatsAsXml(boolean,boolean)}); an empty list asks about the MBean itself.
     */
    @Override
    public TabularData canInvoke(Map<String, List<String>> bulkQuery) throws OpenDataException {
        TabularData answer = new TabularDataSupport(CAN_INVOKE_TABULAR_TYPE);
        for (Map.Entry<String, List<String>> mbean : bulkQuery.entrySet()) {
            if (mbean.getKey() == null) {
                continue;
            }
            if (mbean.getValue() == null || mbean.getValue().isEmpty()) {
                answer.put(row(mbean.getKey(), "", canInvoke(mbean.getKey())));
                continue;
            }
            // a row per operation: one asked twice is answered once (the table's key is MBean and operation)
            for (String operation : new java.util.LinkedHashSet<>(mbean.getValue())) {
                if (operation == null) {
                    continue;
                }
                answer.put(row(mbean.getKey(), operation, allowed(mbean.getKey(), operation,
                        JolokiaAnalystOperations.signatureLength(operation))));
            }
        }
        return answer;
    }

    /** @param arguments the operation's number of parameters, -1 when the signature is not known */
    private static boolean allowed(String objectName, String operation, int arguments) {
        var user = SecurityContextHolder.getContext().getAuthentication();
        if (user == null) {
            return false;
        }
        if (JolokiaAccessFilter.isEngineer(user)) {
            return true;
        }
        if (arguments < 0) {
            // any signature of that name: offered when some number of arguments may be sent with it
            for (int n = 0; n <= MAX_ARGUMENTS; n++) {
                if (JolokiaAnalystOperations.allows(objectName, operation, n)) {
                    return true;
                }
            }
            return false;
        }
        return JolokiaAnalystOperations.allows(objectName, operation, arguments);
    }

    private static CompositeDataSupport row(String objectName, String method, boolean canInvoke)
            throws OpenDataException {
        return new CompositeDataSupport(CAN_INVOKE_RESULT_ROW_TYPE, CAN_INVOKE_RESULT_COLUMNS,
                new Object[] {objectName, method, canInvoke});
    }

    @Override
    public void start() {
        try {
            server.registerMBean(new StandardMBean(this, JMXSecurityMBean.class), new ObjectName(OBJECT_NAME));
            running = true;
        } catch (JMException e) {
            // the console then falls back to Hawtio's dummy: buttons shown, the agent still refuses (403)
            log.warn("Could not register {} for Hawtio's console: {}", OBJECT_NAME, e.toString());
        }
    }

    @Override
    public void stop() {
        try {
            if (running) {
                server.unregisterMBean(new ObjectName(OBJECT_NAME));
            }
        } catch (JMException e) {
            log.debug("Unregistering {} failed: {}", OBJECT_NAME, e.toString());
        } finally {
            running = false;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Registered before the web server takes requests and unregistered after it stops. */
    @Override
    public int getPhase() {
        return 0;
    }
}
