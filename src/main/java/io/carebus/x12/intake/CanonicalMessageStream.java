package io.carebus.x12.intake;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The canonical messages of a large interchange, made as they are read: a reader thread parses the stream and hands
 * each message over through a small bounded queue, so an interchange of any size is split in bounded memory (the
 * route's splitter pulls one message at a time). A failure while reading is thrown from {@link #next()}.
 */
public class CanonicalMessageStream implements Iterator<String>, Closeable {

    private static final int AHEAD = 64;
    /** A reader nobody takes from for this long stops (a splitter that went away without closing it). */
    private static final long ABANDONED_NANOS = TimeUnit.MINUTES.toNanos(10);
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(AHEAD);
    private final InputStream content;
    private final Thread reader;
    private volatile boolean closed;
    private Object next;

    /** @param interchanges the ISA13s to process, null for all */
    public CanonicalMessageStream(X12Canonical canonical, InputStream content, java.util.Set<String> interchanges,
                                  String name) {
        this.content = content;
        this.reader = new Thread(() -> read(canonical, interchanges), "x12-canonical-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void read(X12Canonical canonical, java.util.Set<String> interchanges) {
        Object last = END;
        try {
            canonical.messages(content, interchanges, m -> put(m.body()));
        } catch (CanonicalStreamClosedException stopped) {
            return; // the splitter gave up (a failure downstream): nobody waits for the rest
        } catch (RuntimeException e) {
            last = e;
        }
        try {
            put(last);
        } catch (CanonicalStreamClosedException stopped) {
            // closed meanwhile: nobody waits for the end
        }
    }

    private void put(Object item) {
        long since = System.nanoTime();
        try {
            while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                if (closed || System.nanoTime() - since > ABANDONED_NANOS) {
                    throw new CanonicalStreamClosedException();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CanonicalStreamClosedException();
        }
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CanonicalStreamClosedException();
            }
        }
        if (next instanceof RuntimeException failure) {
            throw failure;
        }
        return next != END;
    }

    @Override
    public String next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        String message = (String) next;
        next = null;
        return message;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        queue.clear();
        content.close();
    }

    /** The reader stops because the splitter closed the stream (done or failed). */
    static final class CanonicalStreamClosedException extends RuntimeException {
        CanonicalStreamClosedException() {
            super("Canonical message stream closed");
        }
    }
}
