package dev.longmix.jobs.tokenize;

import dev.longmix.common.config.ConfigException;
import dev.longmix.common.tokenizer.HfTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * A {@code tokenizer.json} resolved on the driver, from a local file or folder, a file on any
 * Hadoop filesystem, or a Hugging Face hub id; its text is then broadcast to executors, so they
 * need no access to where it came from.
 */
public record TokenizerSource(String spec, String origin, String json, String sha256) {
  private static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9][\\w.-]*/[\\w.-]+(@[\\w.-]+)?");

  public static TokenizerSource resolve(Configuration conf, String key, String spec) {
    try {
      byte[] bytes;
      String origin;
      Path local = Path.of(spec.startsWith("file:") ? URI.create(spec).getPath() : spec);
      if (!spec.contains("://") && Files.isDirectory(local)) {
        local = local.resolve("tokenizer.json");
      }
      if (!spec.contains("://") && Files.isRegularFile(local)) {
        bytes = Files.readAllBytes(local);
        origin = local.toAbsolutePath().toString();
      } else if (spec.contains("://")) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(spec);
        FileSystem fs = p.getFileSystem(conf);
        if (fs.getFileStatus(p).isDirectory()) {
          p = new org.apache.hadoop.fs.Path(p, "tokenizer.json");
        }
        try (InputStream in = fs.open(p)) {
          bytes = in.readAllBytes();
        }
        origin = p.toString();
      } else if (HUB_ID.matcher(spec).matches()) {
        bytes = fromHub(spec);
        origin = "huggingface-hub:" + spec;
      } else {
        throw new ConfigException(
            key,
            spec,
            "is neither a tokenizer.json file or folder, a filesystem URI, nor a hub id like"
                + " org/name");
      }
      String json = HfTokenizer.utf8(bytes);
      return new TokenizerSource(spec, origin, json, HfTokenizer.sha256(bytes));
    } catch (IOException e) {
      throw new ConfigException(key, spec, "cannot be read: " + e.getMessage());
    }
  }

  /**
   * Downloads {@code tokenizer.json} of a hub repository ({@code org/name[@revision]}); honours
   * {@code HF_ENDPOINT} and {@code HF_TOKEN} as the Hugging Face tools do.
   */
  static byte[] fromHub(String id) throws IOException {
    String repo = id;
    String revision = "main";
    int at = id.indexOf('@');
    if (at > 0) {
      repo = id.substring(0, at);
      revision = id.substring(at + 1);
    }
    String endpoint = System.getenv().getOrDefault("HF_ENDPOINT", "https://huggingface.co");
    URI uri = URI.create(endpoint + "/" + repo + "/resolve/" + revision + "/tokenizer.json");
    HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2));
    String token = System.getenv("HF_TOKEN");
    if (token != null && !token.isBlank()) {
      req.header("Authorization", "Bearer " + token);
    }
    HttpClient client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    try {
      HttpResponse<byte[]> r = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IOException("HTTP " + r.statusCode() + " from " + uri);
      }
      return r.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while downloading " + uri, e);
    }
  }

  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("spec", spec);
    m.put("origin", origin);
    m.put("sha256", sha256);
    return m;
  }
}
