package io.carebus.fhir.bulk;

import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps what a HAPI batch job was asked out of the log above DEBUG. HAPI's job loggers (bulk export among them)
 * write at INFO the job's parameters (an export's {@code _typeFilter} searches and patients) and at ERROR the
 * failure's message, which quotes the value a search could not use: a search value is patient data. Such a line
 * (one with an exception, or with an argument other than a plain word or number) goes to its logger at DEBUG
 * instead; a WARN or ERROR leaves in its place a summary with no request content: the logger, the job and chunk
 * ids among its arguments, the HAPI error codes and the exception classes.
 */
public final class HapiJobLogRedaction extends TurboFilter {

    /** HAPI's batch framework, its jobs (bulk export, reindex...) and their troubleshooting log. */
    static final List<String> JOB_LOGGERS = List.of("ca.uhn.fhir.batch2", "ca.uhn.fhir.jpa.batch2",
            "ca.uhn.fhir.jpa.bulk", "ca.uhn.fhir.log.batch_troubleshooting");

    private static final org.slf4j.Logger SUMMARY = LoggerFactory.getLogger(HapiJobLogRedaction.class);
    /** A word, an id or a status: no blank, no query ({@code ?=&}), no path, no quote. */
    private static final Pattern PLAIN = Pattern.compile("[\\w.:\\-\\[\\]]{0,100}");
    private static final Pattern ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern HAPI_CODE = Pattern.compile("HAPI-\\d{4}");

    /**
     * Adds the filter to the logging context, in place of one an earlier application context of this process added
     * (Spring Boot resets the logging context when an application starts).
     */
    public static HapiJobLogRedaction install() {
        HapiJobLogRedaction filter = new HapiJobLogRedaction();
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getTurboFilterList().removeIf(HapiJobLogRedaction.class::isInstance);
            filter.setContext(context);
            filter.start();
            context.addTurboFilter(filter);
        }
        return filter;
    }

    /** Removes this filter from the logging context (when the application stops). */
    public void uninstall() {
        if (getContext() instanceof LoggerContext context) {
            context.getTurboFilterList().remove(this);
        }
        stop();
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (level == null || !level.isGreaterOrEqual(Level.INFO) || !isJobLogger(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        Throwable thrown = t != null ? t : trailingThrowable(params);
        if (thrown == null && allPlain(params)) {
            return FilterReply.NEUTRAL;
        }
        if (logger.isDebugEnabled()) {
            logger.debug(marker, format, t == null ? params : append(params, t));
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            String summary = summary(logger.getName(), params, format, thrown);
            if (level.isGreaterOrEqual(Level.ERROR)) {
                SUMMARY.error(summary);
            } else {
                SUMMARY.warn(summary);
            }
        }
        return FilterReply.DENY;
    }

    static boolean isJobLogger(String name) {
        return JOB_LOGGERS.stream().anyMatch(prefix -> name.equals(prefix) || name.startsWith(prefix + "."));
    }

    private static String summary(String logger, Object[] params, String format, Throwable thrown) {
        Set<String> ids = new LinkedHashSet<>();
        Set<String> codes = new LinkedHashSet<>();
        if (params != null) {
            for (Object param : params) {
                if (param instanceof CharSequence || param instanceof UUID) {
                    // only the arguments that passed as plain words: an object's text may hold a patient's id
                    if (isPlain(param)) {
                        collect(ID, String.valueOf(param), ids);
                    }
                    collect(HAPI_CODE, String.valueOf(param), codes);
                }
            }
        }
        collect(HAPI_CODE, format, codes);
        List<String> exceptions = new ArrayList<>();
        for (Throwable cause = thrown; cause != null && exceptions.size() < 5; cause = cause.getCause()) {
            exceptions.add(cause.getClass().getSimpleName());
            collect(HAPI_CODE, cause.getMessage(), codes);
        }
        return "HAPI batch job log " + logger.substring(logger.lastIndexOf('.') + 1) + " (its text at DEBUG):"
                + " ids " + ids + ", error codes " + codes + ", exceptions " + exceptions;
    }

    private static void collect(Pattern pattern, String text, Set<String> into) {
        if (text != null) {
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                into.add(m.group());
            }
        }
    }

    private static boolean allPlain(Object[] params) {
        return params == null || Arrays.stream(params).allMatch(HapiJobLogRedaction::isPlain);
    }

    private static boolean isPlain(Object param) {
        return param == null || param instanceof Number || param instanceof Boolean || param instanceof Enum<?>
                || param instanceof UUID || param instanceof Date || param instanceof Temporal
                || (param instanceof CharSequence text && PLAIN.matcher(text).matches());
    }

    /** SLF4J takes a last argument that is a Throwable as the event's exception. */
    private static Throwable trailingThrowable(Object[] params) {
        return params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last
                ? last : null;
    }

    private static Object[] append(Object[] params, Throwable t) {
        Object[] all = params == null ? new Object[1] : Arrays.copyOf(params, params.length + 1);
        all[all.length - 1] = t;
        return all;
    }
}
