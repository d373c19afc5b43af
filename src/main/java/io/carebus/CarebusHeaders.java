package io.carebus;

/** Names of the Camel/JMS headers Carebus sets on a message, and where each value comes from. */
public final class CarebusHeaders {

    private CarebusHeaders() {
    }

    /** Journal row id (journal_message.id), set when the message is first stored. */
    public static final String JOURNAL_ID = "CarebusJournalId";
    /** Journal row partition key: receipt time, epoch milliseconds. */
    public static final String RECEIVED_AT = "CarebusReceivedAt";
    /** Inbound channel, e.g. {@code mllp-hl7v2}. */
    public static final String CHANNEL = "CarebusChannel";
    /** MSH-3 sending application ^ MSH-4 sending facility. */
    public static final String SENDER = "CarebusSender";
    /** MSH-9.1 message code (ADT, ORU...). */
    public static final String MESSAGE_TYPE = "CarebusMessageType";
    /** MSH-9.2 trigger event (A01, R01...). */
    public static final String TRIGGER_EVENT = "CarebusTriggerEvent";
    /** MSH-10 message control id. */
    public static final String CONTROL_ID = "CarebusControlId";
    /** MSH-12 version id. */
    public static final String VERSION = "CarebusVersion";
    /** Java charset name the raw bytes are in (MSH-18, or the configured default/fallback). */
    public static final String CHARSET = "CarebusCharset";
    /** Keyed hash (HMAC-SHA256) of PID-3.1 with PID-3.4: orders and groups one patient's messages. */
    public static final String PATIENT_KEY = "CarebusPatientKey";
    /** Artemis message group: one patient's messages go to one consumer, in order. */
    public static final String JMS_GROUP = "JMSXGroupID";
    /** Destination name (carebus.destinations key) of an outbound message. */
    public static final String DESTINATION = "CarebusDestination";
    /** Destination names the router picked, comma separated. */
    public static final String DESTINATIONS = "CarebusDestinations";
    /** True on a message replayed by an analyst from the journal: duplicate detection lets it through. */
    public static final String REPLAY = "CarebusReplay";
    /**
     * Destination names an analyst chose for a replay, comma separated: the route stage sends the message to those
     * of the router's picks only. Honoured only on a journal row made by a replay (DestinationRouter).
     */
    public static final String REPLAY_DESTINATIONS = "CarebusReplayDestinations";
    /** The last error text, on a dead-lettered message. */
    public static final String ERROR = "CarebusError";
    /** JMS delivery count from the broker, 1 on the first attempt. */
    public static final String JMS_DELIVERY_COUNT = "JMSXDeliveryCount";
}
