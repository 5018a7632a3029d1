package dev.longmix.common.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longmix.common.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NeedleGridTest {
  @Test
  void theAuthorsGridIsNumpysRoundedLinspaces() {
    // round(linspace(1000, 128000, 40)) and round(linspace(0, 100, 10)) as NumPy prints them
    // (the values docs/evaluation.md lists from the authors' script).
    List<Integer> lengths =
        List.of(
            1000, 4256, 7513, 10769, 14026, 17282, 20538, 23795, 27051, 30308, 33564, 36821, 40077,
            43333, 46590, 49846, 53103, 56359, 59615, 62872, 66128, 69385, 72641, 75897, 79154,
            82410, 85667, 88923, 92179, 95436, 98692, 101949, 105205, 108462, 111718, 114974,
            118231, 121487, 124744, 128000);
    NeedleGrid g = NeedleGrid.authors();
    assertEquals(lengths, g.contextLengths());
    assertEquals(
        List.of(0.0, 11.0, 22.0, 33.0, 44.0, 56.0, 67.0, 78.0, 89.0, 100.0), g.depthsPercent());
    assertEquals(128_000, g.longest());
    assertEquals(1000, g.shortest());
    assertEquals(g, NeedleGrid.parse("authors", "authors"));
  }

  @Test
  void listsAreTakenAsGiven() {
    NeedleGrid g = NeedleGrid.parse("4096, 1_024", "50,0,12.5");
    assertEquals(List.of(4096, 1024), g.contextLengths());
    assertEquals(List.of(50.0, 0.0, 12.5), g.depthsPercent());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "1000;101;depths;[0, 100]",
        "1000;-1;depths;[0, 100]",
        "1000;50,x;depths;not a number",
        "1000;5,5;depths;twice",
        "1000;NaN;depths;[0, 100]",
        "0;50;context-lengths;positive",
        "1k;50;context-lengths;whole number",
        "10,10;50;context-lengths;twice",
        "' , ';50;context-lengths;comma-separated"
      })
  void badGridsNameKeyValueAndRule(String lengths, String depths, String key, String rule) {
    ConfigException e =
        assertThrows(ConfigException.class, () -> NeedleGrid.parse(lengths, depths));
    assertEquals(key, e.key());
    assertEquals(key.equals("depths") ? depths : lengths, e.value());
    assertTrue(e.rule().contains(rule), e.getMessage());
  }
}
