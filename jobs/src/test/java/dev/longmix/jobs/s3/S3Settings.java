package dev.longmix.jobs.s3;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** s3a settings for a local S3-compatible endpoint, as Spark settings and as Hadoop settings. */
public record S3Settings(String endpoint, String accessKey, String secretKey) {

  /** The {@code spark.hadoop.fs.s3a.*} settings, as a user would pass them with --conf. */
  public Map<String, String> spark() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("spark.hadoop.fs.s3a.endpoint", endpoint);
    m.put("spark.hadoop.fs.s3a.endpoint.region", "us-east-1");
    m.put("spark.hadoop.fs.s3a.path.style.access", "true");
    m.put("spark.hadoop.fs.s3a.connection.ssl.enabled", "false");
    m.put(
        "spark.hadoop.fs.s3a.aws.credentials.provider",
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    m.put("spark.hadoop.fs.s3a.access.key", accessKey);
    m.put("spark.hadoop.fs.s3a.secret.key", secretKey);
    // Two endpoints (s3proxy, MinIO) in one JVM: never reuse a cached FileSystem for a bucket.
    m.put("spark.hadoop.fs.s3a.impl.disable.cache", "true");
    m.put("spark.hadoop.fs.s3a.change.detection.mode", "none");
    return m;
  }

  /** The same settings as {@code --conf K=V} arguments. */
  public List<String> confArgs() {
    List<String> a = new java.util.ArrayList<>();
    spark().forEach((k, v) -> a.addAll(List.of("--conf", k + "=" + v)));
    return a;
  }

  public Configuration hadoop() {
    Configuration c = new Configuration();
    spark().forEach((k, v) -> c.set(k.substring("spark.hadoop.".length()), v));
    return c;
  }

  public void createBucket(String bucket) {
    try (S3Client s3 =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint))
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
            .build()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
  }
}
