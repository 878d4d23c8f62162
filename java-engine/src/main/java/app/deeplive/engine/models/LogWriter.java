package app.deeplive.engine.models;

import java.io.Writer;
import org.slf4j.Logger;

/**
 * The {@link ModelFetcher}'s console output, sent to the engine log instead, one log line per printed line: a fetch
 * that runs while the engine serves has no terminal to print to.
 */
final class LogWriter extends Writer {
    private final Logger log;
    private final StringBuilder line = new StringBuilder();

    LogWriter(Logger log) {
        this.log = log;
    }

    @Override
    public synchronized void write(char[] chars, int off, int len) {
        for (int i = off; i < off + len; i++) {
            char c = chars[i];
            if (c == '\n') {
                emit();
            } else if (c != '\r') {
                line.append(c);
            }
        }
    }

    private void emit() {
        if (!line.isEmpty()) {
            log.info("{}", line);
            line.setLength(0);
        }
    }

    @Override
    public synchronized void flush() {
        emit();
    }

    @Override
    public void close() {
        flush();
    }
}
