package dev.longmix.jobs.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.longmix.common.config.ConfigException;
import dev.longmix.jobs.cli.Settings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanOptionsTest {
  static ConfigException error(String... args) {
    List<String> all =
        new ArrayList<>(List.of("--input", "in", "--histogram", "h", "--output", "out"));
    all.addAll(List.of(args));
    Settings s = Settings.parse(PackConfig.spec(), all.toArray(String[]::new));
    return assertThrows(ConfigException.class, () -> PlanOptions.parse(s, 1000, 4096));
  }

  @Test
  void sharesNotSummingToOneNameTheKeyTheValueAsTypedAndTheRule() {
    assertEquals(
        "--domain-shares = 'RedPajamaC4=0.5, RedPajamaBook = 0.4': shares must sum to 1 (within"
            + " 1e-6), they sum to 0.9",
        error("--strategy", "per-source", "--domain-shares", "RedPajamaC4=0.5, RedPajamaBook = 0.4")
            .getMessage());
    assertEquals(
        "--domain-shares = 'A=0.3,B=0.3,C=0.3': shares must sum to 1 (within 1e-6), they sum to"
            + " 0.9",
        error("--strategy", "per-source", "--domain-shares", "A=0.3,B=0.3,C=0.3").getMessage());
    assertEquals(
        "--domain-shares = 'A=1.5,B=-0.5': every share must be a number in [0, 1]; A=1.5 is not",
        error("--strategy", "domain", "--domain-shares", "A=1.5,B=-0.5").getMessage());
  }

  @Test
  void aPresetIsNamedAsTypedNotAsItsShares() {
    assertEquals(
        "--domain-shares = 'slimpajama': global keeps the corpus's own domain shares; only"
            + " per-source and domain take shares",
        error("--strategy", "global", "--domain-shares", "slimpajama").getMessage());
  }
}
