package dev.kiln.runtime.random;

/**
 * float32 {@code log}, {@code log1p}, {@code erf} and {@code erf_inv} exactly as XLA:CPU computes
 * them (Cephes/Eigen polynomials, with the FMA contractions LLVM applies). JAX's normal and truncated
 * normal samplers go through these, and the correctly rounded {@link Math#log}/{@link Math#log1p}
 * differ from them by a few ulp, so bit-exact initialisation needs this port
 * (see {@code PRNG-RECIPE.md} sections 6 to 9).
 */
public final class XlaMath {
  private XlaMath() {}

  private static float f(int bits) {
    return Float.intBitsToFloat(bits);
  }

  // GenerateVF32Log (xla/service/cpu/llvm_ir_runtime.cc): Cephes logf.
  private static final float SQRTHF = f(0x3F3504F3);
  private static final float P0 = f(0x3D9021BB), P1 = f(0xBDEBD1B8), P2 = f(0x3DEF251A);
  private static final float P3 = f(0xBDFE5D4F), P4 = f(0x3E11E9BF), P5 = f(0xBE2AAE50);
  private static final float P6 = f(0x3E4CCEAC), P7 = f(0xBE7FFFFC), P8 = f(0x3EAAAAAA);
  private static final float Q1 = f(0xB95E8083), Q2 = f(0x3F318000);

  /** XLA:CPU's float32 natural logarithm. */
  public static float log(float y) {
    if (Float.isNaN(y) || y < 0f) {
      return Float.NaN;
    }
    if (y == 0f) {
      return Float.NEGATIVE_INFINITY;
    }
    if (y == Float.POSITIVE_INFINITY) {
      return y;
    }
    int b = Float.floatToRawIntBits(Math.max(y, Float.MIN_NORMAL));
    float e = (float) ((b >>> 23) - 126);
    float m = f((b & 0x807FFFFF) | 0x3F000000);
    float t;
    if (m < SQRTHF) {
      e = e - 1f;
      t = (m - 1f) + m;
    } else {
      t = m - 1f;
    }
    float x2 = t * t;
    float x3 = x2 * t;
    float p = Math.fma(t, P0, P1);
    float p1 = Math.fma(t, P3, P4);
    float p2 = Math.fma(t, P6, P7);
    p = Math.fma(p, t, P2);
    p1 = Math.fma(p1, t, P5);
    p2 = Math.fma(p2, t, P8);
    p = Math.fma(p, x3, p1);
    p = Math.fma(p, x3, p2);
    p = Math.fma(p, x3, Q1 * e);
    float r = t - 0.5f * x2;
    r = r + p;
    return r + Q2 * e;
  }

  // xla/codegen/intrinsic/log1p.cc: Cephes rational approximation near 0.
  private static final float LOG1P_SMALL = f(0x3ED413CD);
  private static final float[] LOG1P_NUM = {
    f(0x383DE04B), f(0x3EFF40C5), f(0x40D284FA), f(0x41EF4B9C), f(0x4273CC76), f(0x426473AD), f(0x41A05101)
  };
  private static final float[] LOG1P_DEN = {
    f(0x3F800000), f(0x417101AD), f(0x42A6185B), f(0x435DC32D), f(0x439A8CA3), f(0x43586D8A), f(0x42707982)
  };

  /** XLA's float32 {@code log1p}; outside {@code |x| < sqrt(2) - 1} it is {@link #log} of {@code x + 1}. */
  public static float log1p(float x) {
    if (!(Math.abs(x) < LOG1P_SMALL)) {
      return log(x + 1f);
    }
    float x2 = x * x;
    float num = 0f;
    for (float c : LOG1P_NUM) {
      num = Math.fma(num, x, c);
    }
    float den = 0f;
    for (float c : LOG1P_DEN) {
      den = Math.fma(den, x, c);
    }
    float s = (x * x2) * (num / den);
    s = Math.fma(-0.5f, x2, s);
    return x + s;
  }

  // ErfInv32 (xla/hlo/builder/lib/math.cc): Giles' single-precision coefficients.
  private static final float[] ERFINV_LT5 = {
    f(0x32F16588), f(0x34B84B36), f(0xB66C7357), f(0xB6935AC1), f(0x396532DB),
    f(0xBAA45408), f(0xBB88E4EF), f(0x3E7C8F63), f(0x3FC02E2F)
  };
  private static final float[] ERFINV_GE5 = {
    f(0xB951F09B), f(0x38D3B56B), f(0x3AB0DC72), f(0xBB70BDE7), f(0x3BBC127B),
    f(0xBBF9C5D7), f(0x3C1AA57E), f(0x3F8036DB), f(0x40354F7E)
  };

  /** XLA's float32 inverse error function; {@code ±1} gives {@code ±inf}, {@code |x| > 1} NaN. */
  public static float erfinv(float x) {
    float w = -log1p(-(x * x));
    float[] c;
    float v;
    if (w < 5f) {
      v = w - 2.5f;
      c = ERFINV_LT5;
    } else {
      v = (float) Math.sqrt(w) - 3f;
      c = ERFINV_GE5;
    }
    float p = c[0];
    for (int i = 1; i < c.length; i++) {
      p = Math.fma(p, v, c[i]);
    }
    return Math.abs(x) == 1f ? x * Float.POSITIVE_INFINITY : p * x;
  }

  // EmitErfF32 (xla/codegen/intrinsic/erf.cc) = Eigen's generic_fast_erf_float.
  private static final float ERF_ONE = 3.832506856900711f;
  private static final float A1 = 1.128379143519084f, A3 = 0.18520832239976145f;
  private static final float A5 = 0.050955695062380861f, A7 = 0.0034082910107109506f;
  private static final float A9 = 0.00022905065861350646f;
  private static final float B0 = 1.0f, B2 = 0.49746925110067538f, B4 = 0.11098505178285362f;
  private static final float B6 = 0.014070470171167667f, B8 = 0.0010179625278914885f;
  private static final float B10 = 0.000023547966471313185f, B12 = -1.1791602954361697e-7f;

  /** XLA:CPU's float32 error function (a rational approximation, saturating to ±1 beyond 3.83). */
  public static float erf(float x) {
    float x2 = x * x;
    float p = Math.fma(x2, A9, A7);
    p = Math.fma(x2, p, A5);
    p = Math.fma(x2, p, A3);
    p = Math.fma(x2, p, A1);
    p = x * p;
    float q = Math.fma(x2, B12, B10);
    q = Math.fma(x2, q, B8);
    q = Math.fma(x2, q, B6);
    q = Math.fma(x2, q, B4);
    q = Math.fma(x2, q, B2);
    q = Math.fma(x2, q, B0);
    return Math.abs(x) >= ERF_ONE ? Math.copySign(1f, x) : p / q;
  }
}
