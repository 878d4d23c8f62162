package app.deeplive.engine.models;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTP server on 127.0.0.1 (random port) for downloader tests. Each path has a behaviour: serve bytes
 * (honouring Range or not), drop the connection part way, answer with an error status, or redirect. Every
 * request's path and Range header are recorded.
 */
final class TestServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    /** One request as the server saw it. */
    record Request(String path, String range) {}

    private interface Behaviour {
        void answer(HttpExchange ex) throws IOException;
    }

    private final HttpServer server;
    private final Map<String, Behaviour> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    TestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            requests.add(new Request(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("Range")));
            Behaviour b = routes.get(ex.getRequestURI().getPath());
            try (ex) {
                if (b == null) {
                    ex.sendResponseHeaders(404, -1);
                } else {
                    b.answer(ex);
                }
            } catch (IOException e) {
                // A deliberately dropped connection ends here.
            }
        });
        server.start();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    long requestsFor(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).count();
    }

    /** Serves {@code body}, answering a Range request with 206 and the rest of it. */
    TestServer serve(String path, byte[] body) {
        routes.put(path, ex -> {
            long from = rangeStart(ex);
            if (from > body.length) {
                ex.sendResponseHeaders(416, -1);
                return;
            }
            if (from > 0) {
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                send(ex, 206, body, (int) from, body.length);
            } else {
                send(ex, 200, body, 0, body.length);
            }
        });
        return this;
    }

    /** Serves the whole {@code body} with 200 whatever Range asks for, as some servers do. */
    TestServer serveIgnoringRange(String path, byte[] body) {
        routes.put(path, ex -> send(ex, 200, body, 0, body.length));
        return this;
    }

    /**
     * The first request promises all of {@code body} but the connection drops after {@code cut} bytes;
     * later requests are served properly (with Range).
     */
    TestServer dropOnceAfter(String path, byte[] body, int cut) {
        boolean[] dropped = {false};
        routes.put(path, ex -> {
            if (!dropped[0]) {
                dropped[0] = true;
                ex.sendResponseHeaders(200, body.length);
                OutputStream os = ex.getResponseBody();
                os.write(body, 0, cut);
                os.flush();
                // Closing short of Content-Length makes the server abort the connection.
                throw new IOException("dropped on purpose");
            }
            serve(path, body);
            routes.get(path).answer(ex);
        });
        return this;
    }

    TestServer status(String path, int code) {
        routes.put(path, ex -> ex.sendResponseHeaders(code, -1));
        return this;
    }

    TestServer redirect(String path, String to) {
        routes.put(path, ex -> {
            ex.getResponseHeaders().add("Location", url(to).toString());
            ex.sendResponseHeaders(302, -1);
        });
        return this;
    }

    private static long rangeStart(HttpExchange ex) {
        String r = ex.getRequestHeaders().getFirst("Range");
        if (r == null) {
            return 0;
        }
        Matcher m = RANGE.matcher(r);
        return m.matches() ? Long.parseLong(m.group(1)) : 0;
    }

    private static void send(HttpExchange ex, int status, byte[] body, int from, int to) throws IOException {
        ex.sendResponseHeaders(status, to - from);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body, from, to - from);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
