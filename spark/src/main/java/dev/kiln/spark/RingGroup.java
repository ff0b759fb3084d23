package dev.kiln.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.BarrierTaskContext;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Ring all-reduce over direct TCP connections: each replica connects to the next rank and accepts the
 * previous one, the addresses agreed once through the barrier's {@code allGather}. The vector of all
 * values is cut into {@code N} chunks; {@code N-1} reduce-scatter rounds leave each replica with one
 * chunk summed over all, {@code N-1} all-gather rounds hand every summed chunk round. Each replica sends
 * {@code 2(N-1)/N} of the vector per average, whatever {@code N}. A summed chunk is rounded to the wire
 * precision before it travels, so every replica ends with the same bits.
 */
final class RingGroup implements ReplicaGroup {
  /** How often a blocked read looks whether Spark killed the task (the barrier failed elsewhere). */
  private static final int POLL_MILLIS = 500;
  private static final int CONNECT_MILLIS = 60_000;

  private final BarrierTaskContext context;
  private final int rank;
  private final int replicas;
  private final ServerSocket server;
  private final Socket toNext;
  private final Socket fromPrevious;
  private final DataOutputStream out;
  private final DataInputStream in;
  private final ExecutorService sender;
  private long bytesSent;
  private long exchanges;

  RingGroup(BarrierTaskContext context) {
    this.context = context;
    this.rank = context.partitionId();
    this.replicas = context.getTaskInfos().length;
    try {
      server = new ServerSocket(0, replicas);
      server.setSoTimeout(CONNECT_MILLIS);
      String host = context.getTaskInfos()[rank].address().split(":")[0];
      String[] addresses = context.allGather(host + ":" + server.getLocalPort());
      if (replicas == 1) {
        toNext = null;
        fromPrevious = null;
        out = null;
        in = null;
        sender = null;
        return;
      }
      String[] next = addresses[(rank + 1) % replicas].split(":");
      toNext = new Socket();
      toNext.connect(new InetSocketAddress(next[0], Integer.parseInt(next[1])), CONNECT_MILLIS);
      toNext.setTcpNoDelay(true);
      fromPrevious = server.accept();
      fromPrevious.setSoTimeout(POLL_MILLIS);
      out = new DataOutputStream(new BufferedOutputStream(toNext.getOutputStream(), 1 << 16));
      in = new DataInputStream(new BufferedInputStream(fromPrevious.getInputStream(), 1 << 16));
      sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kiln-ring-sender-" + rank);
        t.setDaemon(true);
        return t;
      });
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("replica " + rank + " could not join the ring: " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  @Override
  public int replicas() {
    return replicas;
  }

  @Override
  public int rank() {
    return rank;
  }

  @Override
  public void average(List<INDArray> arrays) {
    if (replicas == 1) {
      return;
    }
    double[] v = LeafCodec.flatten(arrays);
    int width = LeafCodec.allFloat(arrays) ? Float.BYTES : Double.BYTES;
    int[] bounds = new int[replicas + 1];
    for (int c = 0; c <= replicas; c++) {
      bounds[c] = (int) ((long) v.length * c / replicas);
    }
    for (int round = 0; round < replicas - 1; round++) {
      exchange(v, bounds, width, Math.floorMod(rank - round, replicas), Math.floorMod(rank - round - 1, replicas), true);
    }
    int owned = Math.floorMod(rank + 1, replicas);
    for (int i = bounds[owned]; i < bounds[owned + 1]; i++) {
      v[i] = width == Float.BYTES ? (float) v[i] : v[i];
    }
    for (int round = 0; round < replicas - 1; round++) {
      exchange(v, bounds, width, Math.floorMod(rank - round + 1, replicas), Math.floorMod(rank - round, replicas), false);
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= replicas;
    }
    LeafCodec.assign(v, arrays);
    exchanges++;
  }

  /** Sends chunk {@code send} to the next replica while receiving chunk {@code receive} (added or copied). */
  private void exchange(double[] v, int[] bounds, int width, int send, int receive, boolean add) {
    byte[] outgoing = pack(v, bounds[send], bounds[send + 1], width);
    Future<?> sending = sender.submit(() -> {
      out.write(outgoing);
      out.flush();
      return null;
    });
    byte[] incoming = new byte[(bounds[receive + 1] - bounds[receive]) * width];
    readFully(incoming);
    ByteBuffer b = ByteBuffer.wrap(incoming).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = bounds[receive]; i < bounds[receive + 1]; i++) {
      double x = width == Float.BYTES ? b.getFloat() : b.getDouble();
      v[i] = add ? v[i] + x : x;
    }
    try {
      sending.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("replica " + rank + " was interrupted while sending", e);
    } catch (ExecutionException e) {
      throw new UncheckedIOException("replica " + rank + " lost the next replica: " + e.getCause().getMessage(),
          e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
    }
    bytesSent += outgoing.length;
  }

  private static byte[] pack(double[] v, int from, int to, int width) {
    ByteBuffer b = ByteBuffer.allocate((to - from) * width).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = from; i < to; i++) {
      if (width == Float.BYTES) {
        b.putFloat((float) v[i]);
      } else {
        b.putDouble(v[i]);
      }
    }
    return b.array();
  }

  /** Reads the whole chunk, giving up when Spark kills the task or the previous replica goes away. */
  private void readFully(byte[] into) {
    int at = 0;
    while (at < into.length) {
      try {
        int n = in.read(into, at, into.length - at);
        if (n < 0) {
          throw new UncheckedIOException(new IOException("replica " + rank + " lost the previous replica"
              + " (connection closed mid-step): it failed or was stopped"));
        }
        at += n;
      } catch (SocketTimeoutException waiting) {
        if (context.isInterrupted()) {
          throw new IllegalStateException("replica " + rank + " stopped: Spark killed the task (the barrier"
              + " stage failed elsewhere)");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("replica " + rank + " lost the previous replica: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String[] gather(String text) {
    return context.allGather(text);
  }

  @Override
  public long rawBytesPerExchange() {
    return exchanges == 0 ? 0 : bytesSent / exchanges;
  }

  @Override
  public long wireBytesPerExchange() {
    return rawBytesPerExchange();
  }

  @Override
  public void close() {
    if (sender != null) {
      sender.shutdownNow();
    }
    for (AutoCloseable c : new AutoCloseable[] {toNext, fromPrevious, server}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // closing on the way out: nothing left to do with the socket
      }
    }
  }
}
