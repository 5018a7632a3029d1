package dev.longmix.jobs.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The levels of a V1 page of ids, read from their runs and, for the fallback, level by level. */
class ParquetLevelsTest {
  @Test
  void levelsDecodeRleAndBitPackedRuns() {
    // RLE run of 5 zeros, a bit-packed group of 8 (1,0,1,1,0,0,0,1), an RLE run of 3 ones.
    byte[] runs = {
      (byte) (5 << 1), 0, (byte) ((1 << 1) | 1), (byte) 0b10001101, (byte) (3 << 1), 1
    };
    ByteBuffer b = ByteBuffer.allocate(4 + runs.length + 2).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(runs.length).put(runs).put((byte) 42).put((byte) 43).flip();
    byte[] out = new byte[16];
    ParquetLevels.levels(b, out, 16);
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1}, out);
    assertEquals(42, b.get(), "left just after the levels");
    ByteBuffer shortRuns = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
    shortRuns.putInt(2).put((byte) (2 << 1)).put((byte) 1).flip();
    assertThrows(
        IllegalStateException.class, () -> ParquetLevels.levels(shortRuns, new byte[3], 3));
  }

  @Test
  void rowStartsAreWhereRepetitionLevelsAreZero() {
    // RLE run of 5 zeros, a bit-packed group of 8 (1,0,1,1,0,0,0,1), an RLE run of 3 ones.
    byte[] runs = {
      (byte) (5 << 1), 0, (byte) ((1 << 1) | 1), (byte) 0b10001101, (byte) (3 << 1), 1
    };
    ByteBuffer b = ByteBuffer.allocate(4 + runs.length + 1).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(runs.length).put(runs).put((byte) 42).flip();
    int[] starts = new int[16];
    int n = ParquetLevels.rowStarts(b, starts, 16);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 6, 9, 10, 11}, Arrays.copyOf(starts, n));
    assertEquals(42, b.get(), "left just after the levels");
    b.rewind();
    assertEquals(false, ParquetLevels.allOnes(b, 16), "zeros among the levels");
  }

  @Test
  void allOnesReadsRunsAndBitPackedGroupsUpToTheLevelCount() {
    // RLE run of 5 ones, a bit-packed group of eight 1s, a group of six 1s padded with 0s.
    byte[] runs = {(byte) (5 << 1), 1, (byte) ((2 << 1) | 1), (byte) 0xFF, (byte) 0b00111111};
    ByteBuffer b = ByteBuffer.allocate(4 + runs.length + 1).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(runs.length).put(runs).put((byte) 42).flip();
    assertEquals(true, ParquetLevels.allOnes(b, 19));
    assertEquals(42, b.get(), "left just after the levels");
    b.rewind();
    assertEquals(false, ParquetLevels.allOnes(b, 20), "the twentieth level is a 0");
    ByteBuffer five = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
    five.putInt(2).put((byte) (5 << 1)).put((byte) 1).flip();
    assertThrows(IllegalStateException.class, () -> ParquetLevels.allOnes(five, 8), "fewer levels");
  }
}
