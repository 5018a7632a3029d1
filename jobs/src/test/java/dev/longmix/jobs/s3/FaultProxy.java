package dev.longmix.jobs.s3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP/1.1 forwarder between s3a and an S3 endpoint that breaks chosen requests, the way a
 * struggling S3 does. It reads each request's head (and frames its body by Content-Length or
 * chunked encoding) on the way in and passes responses back byte for byte, so it needs no knowledge
 * of S3 beyond the error bodies it makes up. Signatures stay valid: requests are forwarded
 * unchanged.
 *
 * <p>Two kinds of trouble:
 *
 * <ul>
 *   <li>{@link #failFirstAttempt}: the first attempt of every n-th distinct request (same method
 *       and target) that matches fails with one of the {@link Fault}s, in turn; its retries pass.
 *       None of the faults lets the request reach the store whole, so a retry is never a duplicate.
 *   <li>{@link #stopWhen}: the endpoint goes away when a matching request arrives: that request's
 *       connection and every open one are closed and new connections are refused until {@link
 *       #restore}.
 * </ul>
 */
final class FaultProxy implements AutoCloseable {
  /** What a broken request gets. */
  enum Fault {
    /** 503 SlowDown, S3's throttling answer. */
    SLOW_DOWN_503,
    /** 500 InternalError. */
    INTERNAL_ERROR_500,
    /** The connection closes once the request head was read, before any response. */
    DROP_BEFORE_RESPONSE,
    /** Half the body is forwarded, then both connections close (a write cut off mid-upload). */
    DROP_MID_BODY
  }

  /** A request as it arrived: method, target (path and query, still URL-encoded), headers. */
  record Request(String method, String target, Map<String, String> headers) {
    /** PUT (objects, parts), POST (multipart create and complete, bulk delete) and DELETE. */
    boolean isWrite() {
      return method.equals("PUT") || method.equals("POST") || method.equals("DELETE");
    }

    /** The decoded path without the query: /bucket/key. */
    String path() {
      int q = target.indexOf('?');
      return URI.create("http://x" + (q < 0 ? target : target.substring(0, q))).getPath();
    }

    long contentLength() {
      String v = headers.get("content-length");
      return v == null ? -1 : Long.parseLong(v.strip());
    }

    boolean chunked() {
      return headers
          .getOrDefault("transfer-encoding", "")
          .toLowerCase(Locale.ROOT)
          .contains("chunked");
    }

    @Override
    public String toString() {
      return method + " " + target;
    }
  }

  private final String upstreamHost;
  private final int upstreamPort;
  private final int port;
  private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
  private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
  private final AtomicInteger distinctMatches = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final Map<Fault, AtomicInteger> injected = new EnumMap<>(Fault.class);
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private volatile ServerSocket server;
  private volatile Predicate<Request> faulty = r -> false;
  private volatile int every = 1;
  private volatile Predicate<Request> stopTrigger = r -> false;
  private volatile boolean down;
  private volatile Request stoppedAt;

  private FaultProxy(String upstreamHost, int upstreamPort, int port) {
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    this.port = port;
    for (Fault f : Fault.values()) {
      injected.put(f, new AtomicInteger());
    }
  }

  /** Listens on a free loopback port and forwards to {@code upstream} (http://host:port). */
  static FaultProxy start(String upstream) throws IOException {
    URI u = URI.create(upstream);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    FaultProxy p = new FaultProxy(u.getHost(), u.getPort(), port);
    p.listen();
    return p;
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * From now on, the first attempt of every {@code n}-th distinct request matching {@code which}
   * fails, with the faults in turn; replaces the previous rule and forgets what was seen.
   */
  synchronized void failFirstAttempt(Predicate<Request> which, int n) {
    seen.clear();
    distinctMatches.set(0);
    every = n;
    faulty = which;
  }

  /** The endpoint goes away when a request matching {@code trigger} arrives. */
  void stopWhen(Predicate<Request> trigger) {
    stoppedAt = null;
    stopTrigger = trigger;
  }

  /** No faults, no stop: a plain forwarder again, listening on the same port. */
  synchronized void restore() throws IOException {
    faulty = r -> false;
    stopTrigger = r -> false;
    if (down) {
      down = false;
      listen();
    }
  }

  boolean stopped() {
    return down;
  }

  /** The request that made the endpoint go away, or null. */
  Request stoppedAt() {
    return stoppedAt;
  }

  int injected(Fault f) {
    return injected.get(f).get();
  }

  int injectedTotal() {
    return injected.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  int requests() {
    return requests.get();
  }

  /** One line per fault injected and per stop, in order. */
  List<String> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  Map<Fault, Integer> injectedByKind() {
    Map<Fault, Integer> m = new LinkedHashMap<>();
    injected.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  @Override
  public synchronized void close() {
    down = true;
    closeAll();
  }

  private void listen() throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    server = s;
    Thread t =
        new Thread(
            () -> {
              while (!s.isClosed()) {
                try {
                  Socket client = s.accept();
                  Thread c = new Thread(() -> serve(client), "fault-proxy-conn");
                  c.setDaemon(true);
                  c.start();
                } catch (IOException closed) {
                  return;
                }
              }
            },
            "fault-proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  /** The endpoint goes away: no more connections, and the open ones are cut. */
  private synchronized void goDown(Request at) {
    if (down) {
      return;
    }
    down = true;
    stoppedAt = at;
    events.add("STOP at " + at);
    closeAll();
  }

  private void closeAll() {
    quietly(server);
    for (Closeable c : List.copyOf(open)) {
      quietly(c);
    }
    open.clear();
  }

  private void serve(Socket client) {
    Socket upstream = null;
    try (client) {
      open.add(client);
      if (down) {
        return;
      }
      upstream = new Socket(upstreamHost, upstreamPort);
      open.add(upstream);
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream toClient = client.getOutputStream();
      OutputStream toUpstream = upstream.getOutputStream();
      pipe(upstream.getInputStream(), toClient, client);
      while (true) {
        byte[] head = readHead(in);
        if (head == null) {
          return;
        }
        Request r = parse(head);
        requests.incrementAndGet();
        if (down) {
          return;
        }
        if (stopTrigger.test(r)) {
          goDown(r);
          return;
        }
        Fault f = decide(r);
        if (f == null) {
          toUpstream.write(head);
          copyBody(r, in, toUpstream, Long.MAX_VALUE);
          toUpstream.flush();
          continue;
        }
        injected.get(f).incrementAndGet();
        events.add(f + " " + r);
        switch (f) {
          case SLOW_DOWN_503 -> answer(r, in, toClient, 503, "Slow Down", "SlowDown");
          case INTERNAL_ERROR_500 ->
              answer(r, in, toClient, 500, "Internal Server Error", "InternalError");
          case DROP_BEFORE_RESPONSE -> {}
          case DROP_MID_BODY -> {
            toUpstream.write(head);
            long half = Math.max(0, r.contentLength()) / 2;
            copyBody(r, in, toUpstream, half);
            toUpstream.flush();
          }
        }
        return;
      }
    } catch (IOException | RuntimeException e) {
      // A connection cut by either side or by goDown: the client sees it as such.
    } finally {
      open.remove(client);
      if (upstream != null) {
        open.remove(upstream);
        quietly(upstream);
      }
    }
  }

  /** Which fault, if any, this request gets: only the first attempt of a chosen request. */
  private synchronized Fault decide(Request r) {
    if (!faulty.test(r) || seen.putIfAbsent(r.method() + " " + r.target(), true) != null) {
      return null;
    }
    int i = distinctMatches.getAndIncrement();
    if (i % every != 0) {
      return null;
    }
    Fault f = Fault.values()[(i / every) % Fault.values().length];
    if (f == Fault.DROP_MID_BODY && r.contentLength() < 2) {
      return Fault.DROP_BEFORE_RESPONSE;
    }
    return f;
  }

  /** An S3 error response; the body is read first unless the client waits for 100-continue. */
  private static void answer(
      Request r, InputStream in, OutputStream out, int status, String reason, String code)
      throws IOException {
    if (!r.headers().getOrDefault("expect", "").toLowerCase(Locale.ROOT).contains("100")) {
      copyBody(r, in, OutputStream.nullOutputStream(), Long.MAX_VALUE);
    }
    byte[] body =
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                + code
                + "</Code><Message>injected by the test's fault proxy</Message><RequestId>fault"
                + "</RequestId><HostId>fault-proxy</HostId></Error>")
            .getBytes(StandardCharsets.UTF_8);
    String headers =
        "HTTP/1.1 "
            + status
            + " "
            + reason
            + "\r\nContent-Type: application/xml\r\nContent-Length: "
            + body.length
            + "\r\nx-amz-request-id: fault\r\nConnection: close\r\n\r\n";
    out.write(headers.getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  /** Copies responses back as they come; closes the client when the endpoint closes. */
  private void pipe(InputStream from, OutputStream to, Socket client) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[64 * 1024];
              try {
                int n;
                while ((n = from.read(buf)) >= 0) {
                  to.write(buf, 0, n);
                  to.flush();
                }
              } catch (IOException e) {
                // closed
              } finally {
                quietly(client);
              }
            },
            "fault-proxy-pipe");
    t.setDaemon(true);
    t.start();
  }

  /** The request head up to and with the blank line, or null at end of stream before one. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int c = in.read();
      if (c < 0) {
        if (b.size() == 0) {
          return null;
        }
        throw new EOFException("request head cut off");
      }
      b.write(c);
      if (b.size() > 256 * 1024) {
        throw new IOException("request head too long");
      }
      state =
          switch (state) {
            case 0, 2 -> c == '\r' ? state + 1 : 0;
            case 1, 3 -> c == '\n' ? state + 1 : (c == '\r' ? 1 : 0);
            default -> 0;
          };
    }
    return b.toByteArray();
  }

  private static Request parse(byte[] head) {
    String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] first = lines[0].split(" ");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int c = lines[i].indexOf(':');
      if (c > 0) {
        headers.put(
            lines[i].substring(0, c).strip().toLowerCase(Locale.ROOT),
            lines[i].substring(c + 1).strip());
      }
    }
    return new Request(first[0], first.length > 1 ? first[1] : "", headers);
  }

  /** Copies the request body (at most {@code limit} bytes of it) as framed by its headers. */
  private static void copyBody(Request r, InputStream in, OutputStream out, long limit)
      throws IOException {
    if (r.chunked()) {
      copyChunked(in, out, limit);
    } else if (r.contentLength() > 0) {
      copy(in, out, Math.min(limit, r.contentLength()));
    }
  }

  private static void copyChunked(InputStream in, OutputStream out, long limit) throws IOException {
    long sent = 0;
    while (true) {
      String line = readLine(in);
      out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      int semi = line.indexOf(';');
      long size = Long.parseLong((semi < 0 ? line : line.substring(0, semi)).strip(), 16);
      if (size == 0) {
        String trailer;
        do {
          trailer = readLine(in);
          out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        } while (!trailer.isEmpty());
        return;
      }
      if (sent + size > limit) {
        copy(in, out, limit - sent);
        return;
      }
      copy(in, out, size + 2);
      sent += size;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    if (c < 0) {
      throw new EOFException("chunk line cut off");
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  private static void copy(InputStream in, OutputStream out, long n) throws IOException {
    byte[] buf = new byte[64 * 1024];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) {
        throw new EOFException("body cut off");
      }
      out.write(buf, 0, r);
      n -= r;
    }
  }

  private static void quietly(Closeable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
