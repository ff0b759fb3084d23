package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.examples.models.BiScan;
import dev.kiln.examples.models.BiScanModel;
import dev.kiln.examples.models.ScanLstm;
import dev.kiln.examples.models.ScanLstmModel;
import dev.kiln.examples.models.TinyText;
import dev.kiln.examples.models.TinyTextModel;
import dev.kiln.runtime.random.PRNGKey;
import dev.kiln.runtime.testing.GradientCheck;
import dev.kiln.runtime.testing.Parity;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Generated embedding and recurrent layers: Flax's lstm_scan, finite differences, symbolic vocabularies. */
class RecurrentModelsTest {
  private static final Parity OPS = Parity.ops();

  @Test
  void generatedLstmMatchesFlaxWithSequenceLengths() {
    ScanLstmModel model = ScanLstmModel.INSTANCE;
    INDArray x = OPS.get("lstm_scan/x");
    // ids 1..7 for row 0, 8..10 then padding for row 1 (length 3); embedding row i is the matching input step
    INDArray ids = Nd4j.createFromArray(new int[][] {{1, 2, 3, 4, 5, 6, 7}, {8, 9, 10, 0, 0, 0, 0}});
    INDArray table = Nd4j.zeros(DataType.FLOAT, 11, 4);
    for (int t = 0; t < 7; t++) {
      table.putRow(1 + t, x.get(NDArrayIndex.point(0), NDArrayIndex.point(t), NDArrayIndex.all()));
    }
    for (int t = 0; t < 3; t++) {
      table.putRow(8 + t, x.get(NDArrayIndex.point(1), NDArrayIndex.point(t), NDArrayIndex.all()));
    }
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    arrays.put("embed/embedding", table);
    for (String path : model.parameterShapes().keySet()) {
      if (path.startsWith("rnn/")) {
        arrays.put(path, OPS.get("lstm_scan/params/" + path.substring("rnn/".length())));
      }
    }
    ScanLstm params = model.fromFlax(arrays);
    ScanLstmModel.Tape t = model.tape(ids);
    assertClose(OPS.get("lstm_scan/h"), model.forward(params, ids, t), 1e-5, "h");
    ScanLstm grads = model.zerosLike(params);
    model.backward(params, t, OPS.get("lstm_scan/ct_h"), grads, false);
    for (Map.Entry<String, INDArray> e : model.toFlax(grads).entrySet()) {
      if (e.getKey().startsWith("rnn/")) {
        assertClose(OPS.get("lstm_scan/grad/" + e.getKey().substring("rnn/".length())), e.getValue(), 1e-4, e.getKey());
      }
    }
    INDArray gradX = OPS.get("lstm_scan/grad_x");
    assertClose(gradX.get(NDArrayIndex.point(1), NDArrayIndex.point(2), NDArrayIndex.all()),
        grads.embed().embedding().getRow(10), 1e-4, "grad_x through the embedding");
  }

  @Test
  void generatedBidirectionalLstmMatchesFlax() {
    BiScanModel model = BiScanModel.INSTANCE;
    Parity ops2 = Parity.ops2();
    INDArray x = ops2.get("bilstm/x");
    // lengths [5, 3]: ids 1..5 for row 0, 6..8 then padding for row 1
    INDArray ids = Nd4j.createFromArray(new int[][] {{1, 2, 3, 4, 5}, {6, 7, 8, 0, 0}});
    INDArray table = Nd4j.zeros(DataType.FLOAT, 9, 3);
    for (int t = 0; t < 5; t++) {
      table.putRow(1 + t, x.get(NDArrayIndex.point(0), NDArrayIndex.point(t), NDArrayIndex.all()));
    }
    for (int t = 0; t < 3; t++) {
      table.putRow(6 + t, x.get(NDArrayIndex.point(1), NDArrayIndex.point(t), NDArrayIndex.all()));
    }
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    arrays.put("embed/embedding", table);
    for (String path : model.parameterShapes().keySet()) {
      if (path.startsWith("rnn/")) {
        arrays.put(path, ops2.get("bilstm/params/" + path.substring("rnn/".length())));
      }
    }
    BiScan params = model.fromFlax(arrays);
    BiScanModel.Tape t = model.tape(ids);
    INDArray ct = ops2.get("bilstm/ct");
    INDArray ys = model.forward(params, ids, t);
    assertClose(ops2.get("bilstm/ys").mul(ct.neq(0).castTo(DataType.FLOAT)), ys.mul(ct.neq(0).castTo(DataType.FLOAT)),
        1e-5, "ys at real steps");
    BiScan grads = model.zerosLike(params);
    model.backward(params, t, ct, grads, false);
    for (Map.Entry<String, INDArray> e : model.toFlax(grads).entrySet()) {
      if (e.getKey().startsWith("rnn/")) {
        assertClose(ops2.get("bilstm/grad/" + e.getKey().substring("rnn/".length())), e.getValue(), 1e-4, e.getKey());
      }
    }
  }

  @Test
  void textModelBackwardMatchesFiniteDifferences() {
    TinyTextModel model = TinyTextModel.INSTANCE;
    Map<String, INDArray> inputs = new LinkedHashMap<>();
    model.toFlax(model.init(PRNGKey.of(3), 6)).forEach((k, v) -> inputs.put(k, v.castTo(DataType.DOUBLE)));
    INDArray ids = Nd4j.createFromArray(new int[][] {{3, 1, 5, 2, 0}, {4, 4, 0, 0, 0}, {1, 2, 3, 4, 5}});
    GradientCheck.of(inputs).eps(1e-4).maxRelError(1e-5).check(
        in -> model.forward(model.fromFlax(in), ids, doubleTape(model, ids)).dup(),
        (in, ct) -> {
          TinyText p = model.fromFlax(in);
          TinyTextModel.Tape t = doubleTape(model, ids);
          model.forward(p, ids, t);
          TinyText g = model.zerosLike(p);
          model.backward(p, t, ct, g, false);
          return new LinkedHashMap<>(model.toFlax(g));
        });
  }

  @Test
  void aSymbolicVocabularyIsBoundWhenParametersAreMade() {
    TinyTextModel model = TinyTextModel.INSTANCE;
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.init(PRNGKey.of(0)));
    assertEquals("TinyText sizes its parameters with V: call init(key, V)", e.getMessage());
    TinyText p = model.init(PRNGKey.of(0), 17);
    assertArrayEquals(new long[] {17, 3}, p.embed().embedding().shape());
    assertArrayEquals(new long[] {-1, 3}, model.parameterShapes().get("embed/embedding"));
    assertEquals(17, model.fromFlax(model.toFlax(p)).embed().embedding().size(0));
  }

  @Test
  void aTokenPastTheVocabularyIsAClearError() {
    TinyTextModel model = TinyTextModel.INSTANCE;
    TinyText p = model.init(PRNGKey.of(0), 6);
    INDArray ids = Nd4j.createFromArray(new int[][] {{1, 2, 9, 0, 0}});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.apply(p, ids));
    assertTrue(e.getMessage().contains("9") && e.getMessage().contains("6"), e.getMessage());
  }

  private static TinyTextModel.Tape doubleTape(TinyTextModel model, INDArray ids) {
    return new TinyTextModel.Tape(ids.size(0), DataType.DOUBLE);
  }

  private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what);
    double error = expected.sub(actual).amaxNumber().doubleValue() / expected.amaxNumber().doubleValue();
    assertTrue(error <= tolerance, what + ": relative error " + error);
  }
}
