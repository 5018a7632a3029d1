package dev.longmix.common.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.longmix.common.config.ConfigException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LengthClassesTest {
  @ParameterizedTest
  @CsvSource({
    "1, 0-4K, 0-1K",
    "1024, 0-4K, 0-1K",
    "1025, 0-4K, 1K-2K",
    "4096, 0-4K, 2K-4K",
    "4097, 4K-128K, 4K-8K",
    "131072, 4K-128K, 64K-128K",
    "131073, 4K-128K, >128K",
    "3000000, 4K-128K, >128K"
  })
  void classOfALength(long n, String table5, String fig2) {
    assertEquals(table5, LengthClasses.TABLE5.label(n));
    assertEquals(fig2, LengthClasses.FIG2.label(n));
  }

  @org.junit.jupiter.api.Test
  void labelsAndSpellings() {
    assertEquals(List.of("0-4K", "4K-128K"), LengthClasses.TABLE5.labels());
    assertEquals(9, LengthClasses.FIG2.labels().size());
    assertEquals(LengthClasses.FIG2, LengthClasses.parse("fig2"));
    ConfigException e = assertThrows(ConfigException.class, () -> LengthClasses.parse("Table5"));
    assertEquals(LengthClasses.KEY, e.key());
  }
}
