package dev.kiln.processor.javac;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.kiln.processor.KilnProcessor;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Every diagnostic the processor reports: its message, file and line. */
class DiagnosticsTest {
  private static final String IMPORTS = """
      package test;
      import dev.kiln.annotations.*;
      import dev.kiln.runtime.nn.*;
      """;

  private static JavaFileObject source(String name, String body) {
    return JavaFileObjects.forSourceString("test." + name, IMPORTS + body);
  }

  private static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new KilnProcessor()).compile(sources);
  }

  @Test
  void denseOnAnUnflattenedInputBreaksThePromisedOutput() {
    JavaFileObject cnn = source("Unflattened", """
        @Model(input = "28,28,32", output = "10")
        public record Unflattened(
            @Dense(features = 10) DenseParams dense) {}
        """);
    Compilation c = compile(cnn);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[kiln] dense produces (B,28,28,10) but Unflattened promises output (B,10)")
        .inFile(cnn).onLineContaining("@Dense(features = 10)");
    assertThat(c).hadErrorContaining("dense: Dense(10) acts on the last axis: (B,28,28,32) -> (B,28,28,10)");
    assertThat(c).hadErrorContaining("add @Flatten before @Dense on dense to get (B,10)");
  }

  @Test
  void reshapeToADifferentElementCount() {
    JavaFileObject model = source("BadReshape", """
        @Model(input = "784")
        public record BadReshape(
            @Dense(features = 3136) DenseParams project,
            @Reshape({7, 7, 32}) NoParams grid) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(
            "grid: @Reshape(7,7,32) needs 1568 elements per example but its input (B,3136) has 3136")
        .inFile(model).onLineContaining("@Reshape({7, 7, 32})");
    assertThat(c).hadErrorContaining("project: Dense(3136) acts on the last axis: (B,784) -> (B,3136)");
  }

  @Test
  void subModelWhoseInputDoesNotMatchWhatFeedsIt() {
    JavaFileObject head = source("Head", """
        @Model(input = "128", output = "10")
        public record Head(@Dense(features = 10) DenseParams logits) {}
        """);
    JavaFileObject net = source("WithHead", """
        @Model(input = "784", output = "10")
        public record WithHead(
            @Dense(features = 256) DenseParams hidden,
            Head head) {}
        """);
    Compilation c = compile(head, net);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("head: the sub-model Head expects input (B,128) but receives (B,256)")
        .inFile(net).onLineContaining("Head head");
  }

  @Test
  void featuresMustBePositive() {
    JavaFileObject model = source("ZeroFeatures", """
        @Model(input = "4")
        public record ZeroFeatures(
            @Dense(features = 0) DenseParams dense) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("dense: @Dense needs a positive number of features, found 0")
        .inFile(model).onLineContaining("features = 0");
  }

  @Test
  void reshapeSizesMustBePositive() {
    JavaFileObject model = source("NegativeReshape", """
        @Model(input = "12")
        public record NegativeReshape(
            @Reshape({-1, 4}) NoParams grid) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("grid: @Reshape needs positive sizes, found (-1,4)")
        .inFile(model).onLineContaining("@Reshape({-1, 4})");
  }

  @Test
  void inputShapeMustParse() {
    JavaFileObject model = source("BadInput", """
        @Model(input = "28,x-1")
        public record BadInput(@Dense(features = 2) DenseParams dense) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("@Model input: expected a positive size or a symbol, found \"x-1\" in \"28,x-1\"")
        .inFile(model).onLineContaining("@Model(input = \"28,x-1\")");
  }

  @Test
  void modelMustBeARecord() {
    JavaFileObject model = source("NotARecord", """
        @Model(input = "4")
        public class NotARecord {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("@Model goes on a record, found class NotARecord")
        .inFile(model).onLineContaining("@Model(input = \"4\")");
  }

  @Test
  void componentTypeMustHoldTheLayersParameters() {
    JavaFileObject model = source("WrongType", """
        @Model(input = "4")
        public record WrongType(
            @Dense(features = 2) NoParams dense) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("dense holds @Dense's parameters, so its type must be DenseParams, found NoParams")
        .inFile(model).onLineContaining("@Dense(features = 2) NoParams dense");
  }

  @Test
  void fromMustNameAnEarlierComponent() {
    JavaFileObject model = source("BadFrom", """
        @Model(input = "4")
        public record BadFrom(
            @Dense(features = 3) DenseParams hidden,
            @From("hiden") @Dense(features = 2) DenseParams out) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("out reads from 'hiden', which is not an earlier component: expected \"input\" or one of [hidden]")
        .inFile(model).onLineContaining("@From(\"hiden\")");
  }

  @Test
  void declaredOutputCountMustMatch() {
    JavaFileObject model = source("TwoHeads", """
        @Model(input = "4", output = "2")
        public record TwoHeads(
            @Dense(features = 3) DenseParams hidden,
            @Output @Dense(features = 2) DenseParams mean,
            @Output @From("hidden") @Dense(features = 2) DenseParams logStd) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("TwoHeads declares 1 output shape but has 2 outputs: [mean (B,2), logStd (B,2)]")
        .inFile(model).onLineContaining("@Model(input = \"4\", output = \"2\")");
  }

  @Test
  void unusedComponentIsAnError() {
    JavaFileObject model = source("DeadBranch", """
        @Model(input = "4")
        public record DeadBranch(
            @Dense(features = 3) DenseParams hidden,
            @Dense(features = 5) DenseParams unused,
            @From("hidden") @Dense(features = 2) DenseParams out) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("unused is computed but never used: feed it to a later component or mark it @Output")
        .inFile(model).onLineContaining("DenseParams unused");
  }

  @Test
  void denseNeedsAKnownLastAxis() {
    JavaFileObject model = source("SymbolicFeatures", """
        @Model(input = "T,F")
        public record SymbolicFeatures(@Dense(features = 2) DenseParams dense) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("dense: @Dense needs a known size on the last axis to size its kernel, found (B,T,F)")
        .inFile(model).onLineContaining("@Dense(features = 2)");
  }

  @Test
  void kernelLargerThanAValidInput() {
    JavaFileObject model = source("BigKernel", """
        @Model(input = "3,3,8")
        public record BigKernel(
            @Conv(features = 4, kernel = {5, 5}, padding = "VALID") ConvParams conv) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(
            "conv: Conv(4, 5x5 VALID) needs at least 5x5 per channel after padding, but its input (B,3,3,8) leaves 0x0")
        .inFile(model).onLineContaining("@Conv(features = 4, kernel = {5, 5}");
  }

  @Test
  void aPoolThatLeavesNothing() {
    JavaFileObject model = source("EmptyPool", """
        @Model(input = "4,4,1")
        public record EmptyPool(
            @Conv(features = 2, strides = {2, 2}) ConvParams conv,
            @MaxPool(window = {3, 3}, strides = {3, 3}) NoParams pool) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(
            "pool: MaxPool(3x3 stride 3 VALID) needs at least 3x3 per channel after padding, but its input (B,2,2,2) leaves 0x0")
        .inFile(model).onLineContaining("@MaxPool(window = {3, 3}");
    assertThat(c).hadErrorContaining("conv: Conv(2, 3x3 stride 2 SAME): (B,4,4,1) -> (B,2,2,2)");
  }

  @Test
  void stridesOfZero() {
    JavaFileObject model = source("ZeroStride", """
        @Model(input = "8,8,1")
        public record ZeroStride(
            @Conv(features = 2, strides = {0, 1}) ConvParams conv) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("conv: @Conv strides must be positive, found (0,1)")
        .inFile(model).onLineContaining("strides = {0, 1}");
  }

  @Test
  void convolutionNeedsAnImage() {
    JavaFileObject model = source("FlatConv", """
        @Model(input = "784")
        public record FlatConv(
            @Conv(features = 2) ConvParams conv) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("conv: @Conv needs NHWC input (B,H,W,C), found (B,784); add @Reshape({H, W, C}) before it")
        .inFile(model).onLineContaining("@Conv(features = 2)");
  }

  @Test
  void paddingMustBeSameValidOrExplicit() {
    JavaFileObject model = source("BadPadding", """
        @Model(input = "8,8,1")
        public record BadPadding(
            @Conv(features = 2, padding = "FULL") ConvParams conv) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(
            "conv: @Conv padding must be \"SAME\", \"VALID\" or \"((top, bottom), (left, right))\", found \"FULL\"")
        .inFile(model).onLineContaining("padding = \"FULL\"");
  }

  @Test
  void dropoutRateMustBeBelowOne() {
    JavaFileObject model = source("AllDropped", """
        @Model(input = "8")
        public record AllDropped(
            @Dropout(rate = 1.0) NoParams drop,
            @Dense(features = 2) DenseParams dense) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("drop: @Dropout rate must be in [0, 1), found 1.0")
        .inFile(model).onLineContaining("rate = 1.0");
  }

  @Test
  void batchNormMomentumMustBeAFraction() {
    JavaFileObject model = source("BadMomentum", """
        @Model(input = "8")
        public record BadMomentum(
            @BatchNorm(momentum = 1.5) BatchNormVars norm) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("norm: @BatchNorm momentum must be in [0, 1], found 1.5")
        .inFile(model).onLineContaining("momentum = 1.5");
  }

  @Test
  void recurrentLayersNeedASequence() {
    JavaFileObject model = source("FlatLstm", """
        @Model(input = "64")
        public record FlatLstm(
            @Lstm(features = 8) LstmParams lstm) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("lstm: @Lstm needs a sequence (B,T,E) with a known E, found (B,64); a recurrent"
            + " layer before it gives every step only with returnSequence = true")
        .inFile(model).onLineContaining("@Lstm(features = 8)");
  }

  @Test
  void embeddingVocabularyMustBeASizeOrASymbol() {
    JavaFileObject model = source("BadVocab", """
        @Model(input = "32")
        public record BadVocab(
            @Embed(vocab = "10k", features = 8) EmbedParams embed,
            @Gru(features = 4) GruParams gru) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("embed: @Embed vocab: expected a positive size or a symbol, found \"10k\" in \"10k\"")
        .inFile(model).onLineContaining("vocab = \"10k\"");
  }

  @Test
  void gruNeedsPositiveFeatures() {
    JavaFileObject model = source("EmptyGru", """
        @Model(input = "T,8")
        public record EmptyGru(
            @Gru(features = 0) GruParams gru) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("gru: @Gru needs a positive number of features, found 0")
        .inFile(model).onLineContaining("@Gru(features = 0)");
  }

  @Test
  void bidirectionalLayersHoldBothDirectionsParameters() {
    JavaFileObject model = source("OneWay", """
        @Model(input = "T,8")
        public record OneWay(
            @Lstm(features = 4, bidirectional = true) LstmParams lstm) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(
            "lstm holds @Lstm's parameters, so its type must be BidirectionalLstmParams, found LstmParams")
        .inFile(model).onLineContaining("bidirectional = true");
  }

  @Test
  void aSubModelMustNotLeaveItsParameterSizesOpen() {
    JavaFileObject encoder = source("TextEncoder", """
        @Model(input = "16")
        public record TextEncoder(
            @Embed(vocab = "V", features = 8) EmbedParams embed,
            @Lstm(features = 4) LstmParams lstm) {}
        """);
    JavaFileObject classifier = source("TextClassifier", """
        @Model(input = "16", output = "2")
        public record TextClassifier(
            TextEncoder encoder,
            @Dense(features = 2) DenseParams logits) {}
        """);
    Compilation c = compile(encoder, classifier);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("encoder: the sub-model TextEncoder sizes its parameters with V, which only"
            + " its own init can bind; give the size as a number to use it as a sub-model")
        .inFile(classifier).onLineContaining("TextEncoder encoder");
  }

  /** The chapter's coding-challenge VAE as printed: its decoder ends at 7x7x1, not the 28x28x1 it rebuilds. */
  @Test
  void theChaptersConvolutionalVaeDecoderIsTooSmall() {
    JavaFileObject encoder = source("ConvEncoder", """
        @Model(input = "28,28,1", output = "40")
        public record ConvEncoder(
            @Conv(features = 32, kernel = {3, 3}, strides = {2, 2}, activation = Activation.RELU) ConvParams conv1,
            @Conv(features = 64, kernel = {3, 3}, strides = {2, 2}, activation = Activation.RELU) ConvParams conv2,
            @Flatten @Dense(features = 40) DenseParams stats) {}
        """);
    JavaFileObject decoder = source("ConvDecoder", """
        @Model(input = "40")
        public record ConvDecoder(
            @Dense(features = 3136, activation = Activation.RELU) @Reshape({7, 7, 64}) DenseParams project,
            @ConvTranspose(features = 32, kernel = {3, 3}, activation = Activation.RELU) ConvTransposeParams up1,
            @ConvTranspose(features = 1, kernel = {3, 3}) ConvTransposeParams up2) {}
        """);
    JavaFileObject vae = source("ConvVae", """
        @Model(input = "28,28,1", output = "28,28,1")
        public record ConvVae(
            ConvEncoder encoder,
            ConvDecoder decoder) {}
        """);
    Compilation c = compile(encoder, decoder, vae);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("decoder produces (B,7,7,1) but ConvVae promises output (B,28,28,1)")
        .inFile(vae).onLineContaining("ConvDecoder decoder");
    assertThat(c).hadErrorContaining("decoder: ConvDecoder: (B,40) -> (B,7,7,1); a @ConvTranspose with strides ="
        + " {s, s} multiplies H and W by s: strides whose product is 4 reach 28x28 from 7x7 (e.g. strides = {2, 2}"
        + " on 2 of them)");
  }

  @Test
  void aSliceMustFitItsInput() {
    JavaFileObject model = source("WideSlice", """
        @Model(input = "8")
        public record WideSlice(
            @Dense(features = 10) DenseParams stats,
            @Slice(from = 6, size = 5) NoParams tail) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("tail: @Slice of features [6, 11) needs at least 11 features, its input (B,10) has 10")
        .inFile(model).onLineContaining("@Slice(from = 6, size = 5)");
  }

  @Test
  void aGaussianSampleNeedsAMeanAndALogStdPerValue() {
    JavaFileObject model = source("OddSample", """
        @Model(input = "8")
        public record OddSample(
            @Dense(features = 7) DenseParams stats,
            @GaussianSample NoParams z) {}
        """);
    Compilation c = compile(model);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("z: @GaussianSample needs (B,2L): a mean and a log-std per latent value, found (B,7)")
        .inFile(model).onLineContaining("@GaussianSample NoParams z");
  }
}
