package dev.vgate.ota.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDK HTTP server for one file that honours Range requests and drops the connection mid-body for the
 * first {@code drops} responses (after {@code dropAfter} bytes). Records each request's Range header.
 */
public final class FlakyServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
    private final HttpServer server;
    private final byte[] body;
    private final AtomicInteger drops;
    private final int dropAfter;
    public final List<String> ranges = new CopyOnWriteArrayList<>();
    public volatile boolean ignoreRange;
    /** Body written in pieces of this size, flushed each time (more progress points for the client). */
    public volatile int chunk = Integer.MAX_VALUE;

    public FlakyServer(byte[] body, int drops, int dropAfter) throws IOException {
        this.body = body;
        this.drops = new AtomicInteger(drops);
        this.dropAfter = dropAfter;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI uri(String path) { return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path); }

    private void handle(HttpExchange ex) throws IOException {
        if (ex.getRequestURI().getPath().endsWith("/missing")) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        ranges.add(range == null ? "-" : range);
        int start = 0;
        Matcher m = range == null || ignoreRange ? null : RANGE.matcher(range);
        if (m != null && m.matches()) {
            start = Integer.parseInt(m.group(1));
            ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
            ex.sendResponseHeaders(206, body.length - start);
        } else {
            ex.sendResponseHeaders(200, body.length);
        }
        OutputStream out = ex.getResponseBody();
        int len = body.length - start;
        if (drops.getAndDecrement() > 0 && len > dropAfter) {
            out.write(body, start, dropAfter);
            out.flush();
            // abort: close the socket under the exchange without finishing the body
            ex.getHttpContext().getServer();
            throw new IOException("simulated connection drop");
        }
        for (int off = start; off < body.length; off += chunk) {
            out.write(body, off, Math.min(chunk, body.length - off));
            out.flush();
        }
        ex.close();
    }

    @Override public void close() { server.stop(0); }
}
