package dev.kiln.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** One local Spark session for all tests, and small labelled images for {@link TinyNet}. */
final class SparkTestData {
  static final StructType SCHEMA = new StructType()
      .add("image", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("label", DataTypes.IntegerType, false);

  private static SparkSession session;

  private SparkTestData() {}

  /** {@code local[4]}: four task slots, enough for a barrier stage of up to four replicas. */
  static synchronized SparkSession spark() {
    if (session == null) {
      session = SparkSession.builder().master("local[4]").appName("kiln-spark-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .getOrCreate();
      session.sparkContext().setLogLevel("ERROR");
    }
    return session;
  }

  /**
   * {@code n} 6x6 images whose class is the brightest third (top, middle or bottom two rows), with
   * noise; a fixed seed gives the same images.
   */
  static List<float[]> images(int n, long seed, int[] labels) {
    Random random = new Random(seed);
    List<float[]> images = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int label = random.nextInt(3);
      float[] image = new float[36];
      for (int p = 0; p < 36; p++) {
        image[p] = 0.3f * random.nextFloat() + (p / 12 == label ? 0.7f : 0f);
      }
      labels[i] = label;
      images.add(image);
    }
    return images;
  }

  /** The images as a DataFrame of {@code image} (array<float>) and {@code label}, cut into contiguous partitions. */
  static Dataset<Row> frame(List<float[]> images, int[] labels, int partitions) {
    List<Row> rows = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      rows.add(RowFactory.create(images.get(i), labels[i]));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark().sparkContext());
    return spark().createDataFrame(jsc.parallelize(rows, partitions), SCHEMA);
  }
}
