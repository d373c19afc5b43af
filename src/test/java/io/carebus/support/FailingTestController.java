package io.carebus.support;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Test only: a call analysts may make (GET /api/**) that fails inside with a 500. */
@RestController
public class FailingTestController {

    public static final String PATH = "/api/test-only/failure";

    @GetMapping(PATH)
    public String fail() {
        throw new IllegalStateException("a failure inside the engine");
    }
}
