package dev.kiln.spark;

import dev.kiln.runtime.io.NpyArray;
import dev.kiln.runtime.io.NpyDtype;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A checkpoint's variables as plain bytes, so the driver can read a checkpoint once and broadcast it:
 * executors need no access to the driver's file system.
 */
final class ShippedVariables implements Serializable {
  private record Stored(String path, NpyDtype dtype, long[] shape, byte[] bytes) implements Serializable {}

  private final List<Stored> arrays = new ArrayList<>();

  ShippedVariables(Map<String, INDArray> variables) {
    variables.forEach((path, array) -> {
      NpyArray npy = NpyArray.of(array);
      byte[] bytes = new byte[npy.data().remaining()];
      npy.data().duplicate().get(bytes);
      arrays.add(new Stored(path, npy.dtype(), npy.shape(), bytes));
    });
  }

  /** The variables again, as fresh ND4J arrays in their original order. */
  LinkedHashMap<String, INDArray> arrays() {
    LinkedHashMap<String, INDArray> out = new LinkedHashMap<>();
    for (Stored s : arrays) {
      out.put(s.path(), new NpyArray(s.dtype(), s.shape(), ByteBuffer.wrap(s.bytes())).toINDArray());
    }
    return out;
  }
}
