package dev.kiln.runtime.random;

/**
 * The orthonormal factor of a QR decomposition, as {@link Initializers#orthogonal} needs it: Q with
 * each column multiplied by the sign of R's diagonal entry ({@code jnp.sign}, so 0 for a zero entry).
 * That sign fix makes Q unique, so this double-precision Householder QR agrees with JAX's LAPACK
 * float32 one up to rounding.
 */
final class Qr {
  private Qr() {}

  /**
   * @param a an {@code m x k} matrix, row-major, with {@code m >= k}
   * @return Q ({@code m x k}), indexed {@code [row][column]}
   */
  static double[][] orthonormalFactor(float[] a, int m, int k) {
    double[][] r = new double[m][k];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < k; j++) {
        r[i][j] = a[i * k + j];
      }
    }
    double[][] reflectors = new double[k][];
    double[] sign = new double[k];
    for (int j = 0; j < k; j++) {
      double norm = 0;
      for (int i = j; i < m; i++) {
        norm += r[i][j] * r[i][j];
      }
      norm = Math.sqrt(norm);
      double diag = r[j][j] < 0 ? norm : -norm;
      sign[j] = Math.signum(diag);
      if (norm == 0) {
        continue;
      }
      double[] v = new double[m - j];
      for (int i = j; i < m; i++) {
        v[i - j] = r[i][j];
      }
      v[0] -= diag;
      reflectors[j] = v;
      reflect(v, r, j, j);
    }
    double[][] q = new double[m][k];
    for (int j = 0; j < k; j++) {
      q[j][j] = 1;
    }
    for (int j = k - 1; j >= 0; j--) {
      if (reflectors[j] != null) {
        reflect(reflectors[j], q, j, 0);
      }
    }
    for (double[] row : q) {
      for (int j = 0; j < k; j++) {
        row[j] *= sign[j];
      }
    }
    return q;
  }

  /** Applies {@code I - 2 v v^T / (v^T v)} to rows {@code from..} and columns {@code col..} of x. */
  private static void reflect(double[] v, double[][] x, int from, int col) {
    double vv = 0;
    for (double e : v) {
      vv += e * e;
    }
    for (int c = col; c < x[0].length; c++) {
      double dot = 0;
      for (int i = 0; i < v.length; i++) {
        dot += v[i] * x[from + i][c];
      }
      double f = 2 * dot / vv;
      for (int i = 0; i < v.length; i++) {
        x[from + i][c] -= f * v[i];
      }
    }
  }
}
