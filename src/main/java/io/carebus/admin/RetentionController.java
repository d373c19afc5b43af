package io.carebus.admin;

import java.util.List;
import java.util.Map;

import io.carebus.journal.JournalRetention;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Engineer-only maintenance. */
@RestController
@Tag(name = "admin", description = "Engineer-only maintenance")
public class RetentionController {

    private final JournalRetention retention;

    public RetentionController(JournalRetention retention) {
        this.retention = retention;
    }

    @PostMapping("/api/admin/journal/retention")
    @Operation(summary = "Run journal partition maintenance now: create upcoming days, drop expired ones")
    public Map<String, List<String>> run() {
        return Map.of("dropped", retention.maintain());
    }
}
