package dev.longmix.jobs.spark;

import java.util.LinkedHashMap;
import java.util.Map;

/** Software versions recorded in every manifest. */
public final class Versions {
  private Versions() {}

  public static Map<String, String> all() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("longmix", String.valueOf(Versions.class.getPackage().getImplementationVersion()));
    m.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
    m.put("java", System.getProperty("java.version"));
    m.put("djl-tokenizers", "0.36.0");
    return m;
  }
}
