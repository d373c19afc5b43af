package io.carebus.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.carebus.hl7v2.Hl7RejectException;
import io.carebus.journal.Journal;
import io.carebus.journal.JournalContentException;
import io.carebus.journal.JournalContentKeyException;
import io.carebus.journal.JournalContentUnreadableException;
import io.carebus.journal.JournalEntry;
import io.carebus.journal.JournalEntryNotFoundException;
import io.carebus.journal.JournalReplay;
import io.carebus.journal.JournalReplayNotQueuedException;
import io.carebus.journal.JournalReplayRefusedException;
import io.carebus.journal.JournalRepository;
import io.carebus.journal.JournalSearch;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.servlet.http.HttpServletResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The message journal for analysts and engineers: search, view (audited), replay. */
@RestController
@RequestMapping("/api/journal")
@Tag(name = "journal", description = "Search, view and replay journaled messages")
public class JournalController {

    private final Journal journal;
    private final JournalReplay replay;

    public JournalController(Journal journal, JournalReplay replay) {
        this.journal = journal;
        this.replay = replay;
    }

    @GetMapping
    @Operation(summary = "Search the journal, newest first",
            description = "patientId (with patientAuthority, PID-3.4) is hashed with the journal's key before "
                    + "the search: the identifier itself is never stored.")
    public List<JournalEntry> search(@RequestParam(required = false) String channel,
                                     @RequestParam(required = false) String type,
                                     @RequestParam(required = false) String trigger,
                                     @RequestParam(required = false) String controlId,
                                     @RequestParam(required = false) String status,
                                     @RequestParam(required = false) String patientId,
                                     @RequestParam(required = false) String patientAuthority,
                                     @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                                     @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                                     @RequestParam(defaultValue = "100") int limit) {
        String patientKey = patientId == null ? null : journal.patientKey(patientId, patientAuthority);
        return journal.repository().search(new JournalSearch(channel, type, trigger, controlId, status, patientKey,
                from, to, limit));
    }

    /** One message's metadata with its per-destination outcomes. */
    public record MessageView(JournalEntry message, List<JournalRepository.Delivery> deliveries) {
    }

    @GetMapping("/{id}")
    @Operation(summary = "One message's metadata and per-destination outcomes (no content)")
    public MessageView get(@PathVariable long id) {
        JournalEntry entry = journal.find(id).orElseThrow(() -> new JournalEntryNotFoundException(id));
        return new MessageView(entry, journal.repository().deliveries(id));
    }

    @GetMapping(value = "/{id}/content", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "The message as received (decrypted); every view is audited",
            description = "HL7 v2 with its segments on lines; a large file (kept on disk) streamed byte for byte. "
                    + "Content no configured key opens: 409; a content file missing or unreadable: 500 with the "
                    + "journal id and the file's state. Neither is audited as a view.")
    public void content(@PathVariable long id, Principal who, HttpServletResponse response) throws IOException {
        JournalEntry entry = journal.find(id).orElseThrow(() -> new JournalEntryNotFoundException(id));
        try (InputStream in = journal.contentStream(id).orElseThrow(() -> new JournalEntryNotFoundException(id))) {
            journal.repository().audit(who.getName(), "view-content", id, null);
            if (journal.repository().contentInFile(id)) {
                response.setContentType(MediaType.TEXT_PLAIN_VALUE);
                if (entry.sizeBytes() < Integer.MAX_VALUE) {
                    response.setContentLengthLong(entry.sizeBytes()); // size_bytes is capped at 2 GB
                }
                in.transferTo(response.getOutputStream());
                return;
            }
            byte[] raw = in.readAllBytes();
            Charset charset = charsetOf(raw);
            response.setContentType(MediaType.TEXT_PLAIN_VALUE + ";charset=" + charset.name());
            response.getOutputStream().write(new String(raw, charset).replace('\r', '\n').getBytes(charset));
        }
    }

    @GetMapping("/{id}/audit")
    @Operation(summary = "Who viewed or replayed this message")
    public List<JournalRepository.AuditRecord> audit(@PathVariable long id) {
        return journal.repository().auditTrail(id);
    }

    @PostMapping("/{id}/replay")
    @Operation(summary = "Send the message through the stages again, as a new journal row",
            description = "To every destination the routing table gives it, or only to the chosen `destination`s "
                    + "among those (the one downstream that failed, say). An unknown or disabled destination is a "
                    + "400 naming it; one the routing table does not give this message, 409. A message rejected at "
                    + "intake is refused (409): its sender was answered AR or AE. When the broker refuses it (503), the "
                    + "new row is marked error with the reason. When the broker's answer never came (202, with a "
                    + "`warning`), the message may be on its way: the new row stays queued with the failure as its "
                    + "error; look it up before replaying again.")
    public ResponseEntity<Map<String, Object>> replayOne(@PathVariable long id,
                                         @Parameter(description = "A destination name under carebus.destinations; "
                                                 + "repeat for several. None: every destination the router picks.")
                                         @RequestParam(name = "destination", required = false) List<String> destinations,
                                         Principal who) {
        Map<String, Object> answer = replayChecked(id, replay.checkDestinations(destinations), who);
        // the broker's answer never came: taken for processing, not confirmed (RFC 9110 §15.3.3)
        return ResponseEntity.status(answer.containsKey("warning") ? HttpStatus.ACCEPTED : HttpStatus.OK).body(answer);
    }

    private Map<String, Object> replayChecked(long id, List<String> destinations, Principal who) {
        JournalReplay.Replayed done = replay.replay(id, destinations);
        journal.repository().audit(who.getName(), "replay", id, "new journal id " + done.journalId()
                + toDestinations(destinations) + (done.unconfirmed() == null ? "" : ", queue outcome unknown"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("replayOf", id);
        answer.put("journalId", done.journalId());
        if (!destinations.isEmpty()) {
            answer.put("destinations", destinations);
        }
        if (done.unconfirmed() != null) {
            answer.put("warning", done.unconfirmed());
        }
        return answer;
    }

    private static String toDestinations(List<String> destinations) {
        return destinations.isEmpty() ? "" : ", to " + String.join(", ", destinations);
    }

    /** Ids to replay, and the destinations to replay them to (none: every destination the router picks). */
    public record ReplayRequest(List<Long> ids, List<String> destinations) {
    }

    @PostMapping("/replay")
    @Operation(summary = "Replay many messages, in the order given",
            description = "One answer per id, in order: {replayOf, journalId} when replayed (with a `warning` when "
                    + "the broker's answer never came, as in the one-message replay), {replayOf, error} when "
                    + "not (unknown id, rejected at intake, header refused, not routed to a chosen destination); a "
                    + "refused id does not stop the others. `destinations` as in the one-message replay; an unknown "
                    + "or disabled one refuses the whole request (400) before anything is replayed.")
    public List<Map<String, Object>> replayMany(@RequestBody ReplayRequest request, Principal who) {
        if (request.ids() == null || request.ids().stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("ids: a list of journal ids");
        }
        List<String> destinations = replay.checkDestinations(request.destinations());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Long id : request.ids()) {
            try {
                out.add(replayChecked(id, destinations, who));
            } catch (JournalEntryNotFoundException | JournalReplayRefusedException | Hl7RejectException
                     | JournalContentException | IllegalArgumentException e) {
                out.add(Map.of("replayOf", id, "error", String.valueOf(e.getMessage())));
            } catch (JournalReplayNotQueuedException e) {
                out.add(notQueued(e, who));
            }
        }
        return out;
    }

    @ExceptionHandler(JournalEntryNotFoundException.class)
    ResponseEntity<Map<String, String>> notFound(JournalEntryNotFoundException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
    }

    /** Also a journaled message whose header cannot be read again (a replay reads it as the intake does). */
    @ExceptionHandler({IllegalArgumentException.class, Hl7RejectException.class})
    ResponseEntity<Map<String, String>> badRequest(RuntimeException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    /** Content sealed with a key that is no longer configured: the answer names the key id and the settings. */
    @ExceptionHandler(JournalContentKeyException.class)
    ResponseEntity<Map<String, String>> noContentKey(JournalContentKeyException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", e.getMessage()));
    }

    /**
     * The row is there but its content file is missing or unreadable: a fault of the engine's storage, answered with
     * the journal id and the file's state (never content), for view and replay alike.
     */
    @ExceptionHandler(JournalContentUnreadableException.class)
    ResponseEntity<Map<String, Object>> contentUnreadable(JournalContentUnreadableException e) {
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("journalId", e.journalId(), "error", String.valueOf(e.getMessage())));
    }

    /** The broker did not take the replay: try again later (RFC 9110 §15.6.4). */
    @ExceptionHandler(JournalReplayNotQueuedException.class)
    ResponseEntity<Map<String, Object>> replayNotQueued(JournalReplayNotQueuedException e, Principal who) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(notQueued(e, who));
    }

    private Map<String, Object> notQueued(JournalReplayNotQueuedException e, Principal who) {
        journal.repository().audit(who.getName(), "replay", e.replayOf(), "new journal id " + e.journalId()
                + toDestinations(e.destinations()) + ", not queued");
        return Map.of("replayOf", e.replayOf(), "journalId", e.journalId(), "error", String.valueOf(e.getMessage()));
    }

    @ExceptionHandler(JournalReplayRefusedException.class)
    ResponseEntity<Map<String, String>> refused(JournalReplayRefusedException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
    }

    private static Charset charsetOf(byte[] raw) {
        String head = new String(raw, 0, Math.min(raw.length, 2048), StandardCharsets.ISO_8859_1);
        int end = head.indexOf('\r');
        String[] msh = (end < 0 ? head : head.substring(0, end)).split("\\|", -1);
        return msh.length > 17 ? io.carebus.hl7v2.Hl7Charsets.forMsh18(msh[17]).orElse(StandardCharsets.UTF_8)
                : StandardCharsets.UTF_8;
    }
}
