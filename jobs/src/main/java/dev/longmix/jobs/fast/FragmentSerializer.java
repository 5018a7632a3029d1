package dev.longmix.jobs.fast;

import dev.longmix.common.pack.RowFragment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidObjectException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.spark.serializer.DeserializationStream;
import org.apache.spark.serializer.SerializationStream;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import scala.Tuple2;
import scala.reflect.ClassTag;

/**
 * The serializer of pack's one shuffle, whose records are (row key, {@link RowFragment}) pairs and
 * carry every output token: each key and fragment goes out as plain bytes (a tag, then the long or
 * the fragment's wire form, {@link #writeFragment}), with none of Java serialization's per-object
 * framing, class descriptors and handle tables (~12% of pack's executor samples when the shuffle
 * used the session's Java serializer). Only that shuffle uses it ({@code
 * ShuffledRDD.setSerializer}); the session's serializer is left as the user set it.
 *
 * <p>Records are self-contained (no stream header, no back-references), so serialized records may
 * be reordered and concatenated, which lets Spark's serialized sort shuffle handle them.
 */
public final class FragmentSerializer extends Serializer implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int LONG = 1;
  private static final int FRAGMENT = 2;
  private static final int PAIR = 3;

  @Override
  public SerializerInstance newInstance() {
    return new Instance();
  }

  @Override
  public boolean supportsRelocationOfSerializedObjects() {
    return true;
  }

  static void write(DataOutputStream out, Object o) throws IOException {
    if (o instanceof Long l) {
      out.writeByte(LONG);
      out.writeLong(l);
    } else if (o instanceof RowFragment f) {
      out.writeByte(FRAGMENT);
      writeFragment(out, f);
    } else if (o instanceof Tuple2<?, ?> t) {
      out.writeByte(PAIR);
      write(out, t._1());
      write(out, t._2());
    } else {
      throw new IllegalArgumentException(
          "pack's shuffle serializer carries row keys and fragments, not "
              + (o == null ? "null" : o.getClass().getName()));
    }
  }

  /**
   * The next object. A clean end of the stream, before a record begins, is an EOFException (Spark's
   * readers end there); a stream that ends inside a record is an IOException, never a clean end.
   */
  static Object read(DataInputStream in) throws IOException {
    int tag = in.read();
    if (tag == -1) {
      throw new EOFException();
    }
    try {
      switch (tag) {
        case LONG:
          return in.readLong();
        case FRAGMENT:
          return readFragment(in);
        case PAIR:
          return new Tuple2<>(read(in), read(in));
        default:
          throw new IOException("corrupt shuffle record: tag " + tag);
      }
    } catch (EOFException e) {
      throw new IOException("shuffle stream ends inside a record", e);
    }
  }

  /** An I/O step whose IOException Spark's Scala signatures cannot declare. */
  @FunctionalInterface
  private interface Io<T> {
    T run() throws IOException;
  }

  /**
   * Writes {@code f} in its wire form: the fields, then the ids as one little-endian block, two
   * bytes per id when every id is below 65,536 (LLaMA-2, Mistral, GPT-2: half the bytes to copy,
   * compress and move), else four (LLaMA-3).
   */
  public static void writeFragment(DataOutput out, RowFragment f) throws IOException {
    out.writeLong(f.row());
    out.writeInt(f.offsetInRow());
    out.writeLong(f.docId());
    out.writeUTF(f.domain());
    out.writeInt(f.piece());
    out.writeInt(f.copy());
    out.writeInt(f.fromToken());
    int[] t = f.tokens();
    out.writeInt(t.length);
    int or = 0;
    for (int x : t) {
      or |= x;
    }
    boolean narrow = (or & 0xFFFF0000) == 0;
    out.writeByte(narrow ? 2 : 4);
    byte[] bytes;
    if (narrow) {
      bytes = new byte[2 * t.length];
      for (int i = 0; i < t.length; i++) {
        bytes[2 * i] = (byte) t[i];
        bytes[2 * i + 1] = (byte) (t[i] >>> 8);
      }
    } else {
      bytes = new byte[4 * t.length];
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(t);
    }
    out.write(bytes);
  }

  /** Reads a fragment {@link #writeFragment} wrote. */
  public static RowFragment readFragment(DataInput in) throws IOException {
    long row = in.readLong();
    int offsetInRow = in.readInt();
    long docId = in.readLong();
    String domain = in.readUTF();
    int piece = in.readInt();
    int copy = in.readInt();
    int fromToken = in.readInt();
    int n = in.readInt();
    if (n < 0) {
      throw new InvalidObjectException("negative token count " + n);
    }
    int width = in.readByte();
    if (width != 2 && width != 4) {
      throw new InvalidObjectException("ids " + width + " bytes wide");
    }
    byte[] bytes = new byte[width * n];
    in.readFully(bytes);
    int[] tokens = new int[n];
    if (width == 2) {
      for (int i = 0; i < n; i++) {
        tokens[i] = (bytes[2 * i] & 0xFF) | (bytes[2 * i + 1] & 0xFF) << 8;
      }
    } else {
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(tokens);
    }
    return new RowFragment(row, offsetInRow, docId, domain, piece, copy, fromToken, tokens);
  }

  private static <T> T unchecked(Io<T> step) {
    try {
      return step.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object o) {
    return (T) o;
  }

  static final class Instance extends SerializerInstance {
    @Override
    public <T> ByteBuffer serialize(T t, ClassTag<T> tag) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      unchecked(
          () -> {
            try (DataOutputStream out = new DataOutputStream(bytes)) {
              write(out, t);
            }
            return null;
          });
      return ByteBuffer.wrap(bytes.toByteArray());
    }

    @Override
    public <T> T deserialize(ByteBuffer bytes, ClassTag<T> tag) {
      byte[] b = new byte[bytes.remaining()];
      bytes.duplicate().get(b);
      return cast(unchecked(() -> read(new DataInputStream(new ByteArrayInputStream(b)))));
    }

    @Override
    public <T> T deserialize(ByteBuffer bytes, ClassLoader loader, ClassTag<T> tag) {
      return deserialize(bytes, tag);
    }

    @Override
    public SerializationStream serializeStream(OutputStream s) {
      DataOutputStream out = new DataOutputStream(s);
      return new SerializationStream() {
        @Override
        public <T> SerializationStream writeObject(T t, ClassTag<T> tag) {
          unchecked(
              () -> {
                write(out, t);
                return null;
              });
          return this;
        }

        @Override
        public void flush() {
          unchecked(
              () -> {
                out.flush();
                return null;
              });
        }

        @Override
        public void close() {
          unchecked(
              () -> {
                out.close();
                return null;
              });
        }
      };
    }

    @Override
    public DeserializationStream deserializeStream(InputStream s) {
      DataInputStream in = new DataInputStream(s);
      return new DeserializationStream() {
        @Override
        public <T> T readObject(ClassTag<T> tag) {
          try {
            return cast(read(in));
          } catch (EOFException e) {
            // Spark's iterators end a stream on java.io.EOFException itself, unwrapped.
            throw FragmentSerializer.<RuntimeException>rethrow(e);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        @Override
        public <T> T readValue(ClassTag<T> tag) {
          // A value always follows its key: the end of the stream here is damage, not the end.
          return cast(unchecked(() -> read(in)));
        }

        @Override
        public void close() {
          unchecked(
              () -> {
                in.close();
                return null;
              });
        }
      };
    }
  }

  /** Throws a checked exception where the signature cannot declare it. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E rethrow(Throwable e) throws E {
    throw (E) e;
  }
}
