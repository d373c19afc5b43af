package io.carebus.fhir.server;

import ca.uhn.fhir.jpa.dao.ThreadPoolFactory;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.security.task.DelegatingSecurityContextAsyncTaskExecutor;

/**
 * HAPI's pools for the GET entries of a batch Bundle ({@code bundle-batch-} threads), which run them with the
 * caller's Spring Security context: who asks is on the request thread only, and without it an entry is checked and
 * audited as nobody's (no SMART scopes to narrow or filter its search, an anonymous AuditEvent without the client).
 */
public class CallerContextThreadPoolFactory extends ThreadPoolFactory {

    @Override
    public AsyncTaskExecutor newThreadPool(Integer poolSize, Integer maxPoolSize, String threadPrefix) {
        // the context is taken at submission, on the thread of the request that submits the entries
        return new DelegatingSecurityContextAsyncTaskExecutor(super.newThreadPool(poolSize, maxPoolSize, threadPrefix));
    }
}
