package dev.mailroom.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A small Server-Sent Events reader (WHATWG HTML §9.2.6) for the tests. */
final class SseClient implements AutoCloseable {

  record Event(String id, String name, String data) {}

  final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
  final int status;
  private final Thread reader;
  private final HttpResponse<java.io.InputStream> response;

  SseClient(String url, String token, String lastEventId) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    status = response.statusCode();
    reader = Thread.ofVirtual().start(this::read);
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String id = null;
      String name = null;
      StringBuilder data = new StringBuilder();
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          if (!data.isEmpty() || name != null) {
            events.add(new Event(id, name == null ? "message" : name, data.toString()));
          }
          name = null;
          data.setLength(0);
        } else if (line.startsWith(":")) {
          comments.add(line.substring(1).trim());
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("event:")) {
          name = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).trim());
        }
      }
    } catch (Exception closed) {
      // the stream ended
    }
  }

  Event next(String name, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Event e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (e != null && e.name().equals(name)) {
        return e;
      }
    }
    return null;
  }

  @Override
  public void close() throws Exception {
    response.body().close();
    reader.interrupt();
  }
}
