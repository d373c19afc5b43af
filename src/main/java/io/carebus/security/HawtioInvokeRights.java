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
 * without a user (another JMX client) is told no: only Hawtio, through the agent, asks this MBean.
 */
public class HawtioInvokeRights implements JMXSecurityMBean, SmartLifecycle {

    static final String OBJECT_NAME = "hawtio:type=security,area=jmx,name=CarebusInvokeRights";

    private static final Logger log = LoggerFactory.getLogger(HawtioInvokeRights.class);

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private volatile boolean running;

    /** An MBean as a whole: every user who reaches the agent may see it (reads are checked per request). */
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
        String types = argumentTypes == null ? "" : String.join(",", argumentTypes);
        return allowed(objectName, methodName + "(" + types + ")", argumentTypes == null ? 0 : argumentTypes.length);
    }

    /**
     * Hawtio's bulk form: MBean name → operations with their signatures ({@code stop()},
     * {@code dumpRouteStatsAsXml(boolean,boolean)}); an empty list asks about the MBean itself.
     */
    @Override
    public TabularData canInvoke(Map<String, List<String>> bulkQuery) throws OpenDataException {
        TabularData answer = new TabularDataSupport(CAN_INVOKE_TABULAR_TYPE);
        for (Map.Entry<String, List<String>> mbean : bulkQuery.entrySet()) {
            if (mbean.getValue().isEmpty()) {
                answer.put(row(mbean.getKey(), "", canInvoke(mbean.getKey())));
                continue;
            }
            for (String operation : mbean.getValue()) {
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
            // any signature of that name: offered when the one without arguments may be run
            return JolokiaAnalystOperations.allows(objectName, operation, 0);
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
}
