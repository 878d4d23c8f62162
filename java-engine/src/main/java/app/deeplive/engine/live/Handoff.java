package app.deeplive.engine.live;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A small bounded queue from exactly one producer thread to exactly one consumer thread: a ring of references and
 * two counters, waiting by park/unpark. Nothing is allocated per element (unlike the JDK's blocking queues, whose
 * waits allocate condition nodes). Each side announces that it is about to park before checking again, and the
 * other side unparks it after publishing, so no wake-up is lost; every park is also bounded.
 */
final class Handoff<T> {
    private final Object[] ring;
    private final AtomicLong head = new AtomicLong(); // next to take; written by the consumer
    private final AtomicLong tail = new AtomicLong(); // next to fill; written by the producer
    private volatile Thread parkedConsumer;
    private volatile Thread parkedProducer;

    Handoff(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        ring = new Object[capacity];
    }

    int capacity() {
        return ring.length;
    }

    int size() {
        return (int) (tail.get() - head.get());
    }

    /** Producer: adds {@code item} if there is room. */
    boolean offer(T item) {
        long t = tail.get();
        if (t - head.get() == ring.length) {
            return false;
        }
        ring[(int) (t % ring.length)] = item;
        tail.set(t + 1); // publishes the item (and everything written to it before)
        Thread waiting = parkedConsumer;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
        return true;
    }

    /** Consumer: the oldest item, or null when empty. */
    @SuppressWarnings("unchecked")
    T poll() {
        long h = head.get();
        if (h == tail.get()) {
            return null;
        }
        int i = (int) (h % ring.length);
        T item = (T) ring[i];
        ring[i] = null;
        head.set(h + 1);
        Thread waiting = parkedProducer;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
        return item;
    }

    /** Consumer: waits up to {@code nanos} for an item; null if none came. */
    T take(long nanos) {
        T item = poll();
        if (item != null || nanos <= 0) {
            return item;
        }
        long deadline = System.nanoTime() + nanos;
        parkedConsumer = Thread.currentThread();
        try {
            while ((item = poll()) == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                LockSupport.parkNanos(this, left);
            }
            return item;
        } finally {
            parkedConsumer = null;
        }
    }

    /** Producer: waits up to {@code nanos} for room and adds {@code item}; false if there was none in time. */
    boolean put(T item, long nanos) {
        if (offer(item)) {
            return true;
        }
        if (nanos <= 0) {
            return false;
        }
        long deadline = System.nanoTime() + nanos;
        parkedProducer = Thread.currentThread();
        try {
            while (!offer(item)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
            }
            return true;
        } finally {
            parkedProducer = null;
        }
    }
}
