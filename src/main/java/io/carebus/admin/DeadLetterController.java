package io.carebus.admin;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import io.carebus.journal.JournalRepository;
import io.carebus.routing.DeadLetterReplayFailedException;
import io.carebus.routing.DeadLetters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jms.JmsException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Dead-letter queues: see what failed and why, send it back to its queue. */
@RestController
@RequestMapping("/api/dead-letters")
@Tag(name = "dead-letters", description = "Inspect and replay the dead-letter queues DLQ.<queue>")
public class DeadLetterController {

    private final DeadLetters deadLetters;
    private final JournalRepository journal;

    public DeadLetterController(DeadLetters deadLetters, JournalRepository journal) {
        this.deadLetters = deadLetters;
        this.journal = journal;
    }

    @GetMapping
    @Operation(summary = "The dead-letter queues")
    public List<String> queues() {
        return deadLetters.queues();
    }

    @GetMapping("/{queue}")
    @Operation(summary = "Messages in one dead-letter queue (metadata and error, no content)",
            description = "The first `limit` messages, oldest first: 1 to " + DeadLetters.MAX_LIST
                    + " (default 100); another limit is refused with 400.")
    public List<DeadLetters.DeadLetter> list(@PathVariable String queue, @RequestParam(defaultValue = "100") int limit) {
        return deadLetters.list(queue, limit);
    }

    /** Journal ids to move back; empty or absent: all. */
    public record ReplayRequest(List<Long> journalIds) {
    }

    @PostMapping("/{queue}/replay")
    @Operation(summary = "Move messages back from DLQ.<queue> to <queue>, all or by journal id",
            description = "Moved in JMS transactions of " + DeadLetters.REPLAY_CHUNK + " messages; answers how many "
                    + "moved. Only the messages there when the replay starts are moved. When a transaction fails "
                    + "part way, the answer (503 when the broker failed, else 500) is {queue, moved, error}: "
                    + "the messages moved before it stay moved, the rest is still in the dead-letter queue.")
    public Map<String, Object> replay(@PathVariable String queue, @RequestBody(required = false) ReplayRequest request,
                                      Principal who) {
        List<Long> ids = request == null ? null : request.journalIds();
        String which = ids == null || ids.isEmpty() ? "" : " " + ids;
        int moved;
        try {
            moved = deadLetters.replay(queue, ids);
        } catch (DeadLetterReplayFailedException e) {
            journal.audit(who.getName(), "replay-dead-letter", null, queue + ": " + e.moved() + " message(s)" + which
                    + " moved, then failed: " + e.getMessage());
            throw e;
        }
        journal.audit(who.getName(), "replay-dead-letter", null, queue + ": " + moved + " message(s)" + which);
        return Map.of("queue", queue, "moved", moved);
    }

    /**
     * Part of the queue was moved before a chunk failed: the answer says how many, so the analyst knows what is
     * left; 503 when the broker failed (try again later, RFC 9110 §15.6.4), else 500.
     */
    @ExceptionHandler(DeadLetterReplayFailedException.class)
    ResponseEntity<Map<String, Object>> replayFailed(DeadLetterReplayFailedException e) {
        HttpStatus status = e.getCause() instanceof JmsException ? HttpStatus.SERVICE_UNAVAILABLE
                : HttpStatus.INTERNAL_SERVER_ERROR;
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("queue", e.queue(), "moved", e.moved(), "error", String.valueOf(e.getMessage())));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }
}
