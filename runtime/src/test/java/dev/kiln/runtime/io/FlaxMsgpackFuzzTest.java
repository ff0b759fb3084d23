package dev.kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kiln.runtime.testing.ReaderContract;
import java.io.IOException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link FlaxMsgpack#read} (and so {@link MsgPack}) on any bytes returns a state dict whose arrays
 * all convert, or throws {@link MalformedFileException}; the arrays it holds write and read back to
 * the same bytes (NaN included). Seeds: FlaxMsgpackFuzzTestInputs/ (Flax-written train states and
 * broken ones).
 */
class FlaxMsgpackFuzzTest {
  static {
    // loading ND4J's native backend and the readers' classes would count against the first input's allocation
    Nd4j.create(DataType.FLOAT, 1);
    try {
      FlaxMsgpack.arrays(FlaxMsgpack.read(FlaxMsgpack.write(java.util.Map.of("a", Nd4j.zeros(DataType.FLOAT, 2)))));
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @FuzzTest(maxDuration = "5m")
  void read(byte[] input) throws IOException {
    ReaderContract.check(input.length, () -> FlaxMsgpack.arrays(FlaxMsgpack.read(input)), arrays -> {
      byte[] written = FlaxMsgpack.write(FlaxMsgpack.nest(arrays));
      byte[] again = FlaxMsgpack.write(FlaxMsgpack.nest(FlaxMsgpack.arrays(FlaxMsgpack.read(written))));
      assertArrayEquals(written, again, "the arrays must survive a round trip");
    });
  }
}
