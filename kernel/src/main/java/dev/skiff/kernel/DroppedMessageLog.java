package dev.skiff.kernel;

import dev.skiff.kernel.wire.InvalidMessageException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs received messages that were dropped as malformed or badly signed, with a running count. Thread-safe.
 *
 * <p>The first {@value #LOG_FIRST} drops are logged as warnings, then every {@value #LOG_EVERY}th, so a
 * misbehaving peer cannot flood the log; the rest go to debug.
 */
final class DroppedMessageLog {

    private static final Logger LOG = LoggerFactory.getLogger(DroppedMessageLog.class);
    private static final long LOG_FIRST = 10;
    private static final long LOG_EVERY = 100;

    private final AtomicLong dropped = new AtomicLong();

    void record(String channel, InvalidMessageException error) {
        long count = dropped.incrementAndGet();
        String format = "Dropped a message on {}: {} (msg_id={}, msg_type={}); {} dropped so far";
        Object[] arguments = {channel, error.getMessage(), error.msgId(), error.msgType(), count};
        if (count <= LOG_FIRST || count % LOG_EVERY == 0) {
            LOG.warn(format, arguments);
        } else {
            LOG.debug(format, arguments);
        }
    }

    long count() {
        return dropped.get();
    }
}
