package dev.longmix.jobs.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.longmix.common.pack.RowFragment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.serializer.SerializationStream;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/** Pack's shuffle serializer gives back the pairs it was given, as Spark's shuffle reads them. */
class FragmentSerializerTest {
  private static final ClassTag<Object> ANY = ClassTag$.MODULE$.Any();

  private static List<Tuple2<Long, RowFragment>> pairs(int first, int count) {
    List<Tuple2<Long, RowFragment>> out = new ArrayList<>();
    for (int k = first; k < first + count; k++) {
      int[] ids = new int[k * 37 % 500];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = k % 3 == 0 ? 128_000 + i : (i * 7919 + k) & 0xFFFF; // every third one wide
      }
      RowFragment f =
          new RowFragment(k / 4, k * 11, 1_000L + k, "domain" + (k % 2), k % 5, 0, 0, ids);
      out.add(new Tuple2<>(f.row() * 81_920 + f.offsetInRow(), f));
    }
    return out;
  }

  private static byte[] write(SerializerInstance s, List<Tuple2<Long, RowFragment>> pairs) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SerializationStream out = s.serializeStream(bytes);
    for (Tuple2<Long, RowFragment> p : pairs) {
      out.writeKey(p._1(), ANY);
      out.writeValue(p._2(), ANY);
    }
    out.close();
    return bytes.toByteArray();
  }

  private static List<Tuple2<Object, Object>> read(SerializerInstance s, byte[] bytes) {
    List<Tuple2<Object, Object>> out = new ArrayList<>();
    s.deserializeStream(new ByteArrayInputStream(bytes)).asKeyValueIterator().foreach(out::add);
    return out;
  }

  @Test
  void keysAndFragmentsComeBackInOrder() {
    SerializerInstance s = new FragmentSerializer().newInstance();
    List<Tuple2<Long, RowFragment>> in = pairs(0, 40);
    assertEquals(new ArrayList<Object>(in), new ArrayList<Object>(read(s, write(s, in))));
    assertEquals(List.of(), read(s, new byte[0]), "an empty stream");
  }

  @Test
  void recordsRelocate() {
    // Spark's serialized sort shuffle concatenates separately written records; that is what
    // supportsRelocationOfSerializedObjects promises.
    FragmentSerializer ser = new FragmentSerializer();
    SerializerInstance s = ser.newInstance();
    byte[] a = write(s, pairs(0, 5));
    byte[] b = write(s, pairs(5, 7));
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    assertEquals(true, ser.supportsRelocationOfSerializedObjects());
    assertEquals(new ArrayList<Object>(pairs(0, 12)), new ArrayList<Object>(read(s, both)));
  }

  @Test
  void singleObjectsAndPairsRoundTrip() {
    SerializerInstance s = new FragmentSerializer().newInstance();
    Tuple2<Long, RowFragment> p = pairs(3, 1).get(0);
    ClassTag<Tuple2<Long, RowFragment>> tag = ClassTag$.MODULE$.apply(Tuple2.class);
    ByteBuffer bytes = s.serialize(p, tag);
    assertEquals(p, s.deserialize(bytes, tag));
    assertEquals(7L, (long) s.deserialize(s.serialize(7L, ANY), ANY));
  }

  @Test
  void damagedStreamsAndForeignObjectsFail() {
    SerializerInstance s = new FragmentSerializer().newInstance();
    byte[] bytes = write(s, pairs(1, 2));
    assertThrows(
        UncheckedIOException.class,
        () -> read(s, Arrays.copyOf(bytes, bytes.length - 3)),
        "a stream cut inside a record");
    ByteArrayOutputStream k = new ByteArrayOutputStream();
    SerializationStream out = s.serializeStream(k);
    out.writeKey(5L, ANY);
    out.close();
    assertThrows(UncheckedIOException.class, () -> read(s, k.toByteArray()), "a key, no value");
    byte[] bad = bytes.clone();
    bad[0] = 99;
    assertThrows(UncheckedIOException.class, () -> read(s, bad), "an unknown record tag");
    assertThrows(IllegalArgumentException.class, () -> s.serialize("text", ANY));
  }
}
