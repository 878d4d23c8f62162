package app.deeplive.engine.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A blocking control-channel client for tests: raw bytes in, parsed messages out, every read bounded. */
final class TestClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    /** Events (messages without an id) seen while waiting for replies. */
    final List<ObjectNode> events = new ArrayList<>();

    TestClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 2000);
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(String json) throws IOException {
        sendRaw(frame(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** The next message, or null when the engine closed the connection. */
    ObjectNode read() throws IOException {
        try {
            int length = in.readInt();
            if (length < 0 || length > (16 << 20)) {
                throw new IOException("engine sent a bad length " + length);
            }
            byte[] body = new byte[length];
            in.readFully(body);
            return (ObjectNode) JSON.readTree(body);
        } catch (EOFException | SocketException e) {
            return null;
        }
    }

    /** Sends a request and returns the reply carrying its id, keeping events aside. */
    ObjectNode request(String json) throws IOException {
        send(json);
        String id = JSON.readTree(json).path("id").asText();
        while (true) {
            ObjectNode m = read();
            if (m == null) {
                return null;
            }
            if (!m.has("id")) {
                events.add(m);
                continue;
            }
            if (m.path("id").asText().equals(id)) {
                return m;
            }
        }
    }

    ObjectNode hello(String token) throws IOException {
        return request("{\"type\":\"hello\",\"id\":0,\"version\":1,\"token\":\"" + token + "\"}");
    }

    /** True if the engine closed the connection within the socket timeout (after any pending messages). */
    boolean closedByEngine() throws IOException {
        try {
            while (read() != null) {
                // drain whatever came before the close
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** True if the engine has closed the connection (checked with a short read). */
    boolean closedAfterPoll() throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(50);
        try {
            return closedByEngine();
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(old);
            }
        }
    }

    void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
