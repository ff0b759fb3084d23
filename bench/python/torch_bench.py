"""PyTorch side of the Kiln benchmark: one WORKLOADS.md job's training step, timed as Kiln's is.

usage: python3 torch_bench.py WORKLOAD SECONDS WARMUP THREADS

Prints FIRST_STEP after the first step and a RESULT line (the format of dev.kiln.bench.Measurement);
prints UNSUPPORTED with a reason when torch cannot be imported. Data are random batches of the
workload's shapes, in PyTorch's native NCHW layout.
"""
import sys
import time

BATCHES = 4
VOCABULARY = 5000
SEQUENCE = 32
CODE = 100


def peak_rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def classifier_step(torch, nn, layers, batch):
    model = nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    xs = [torch.rand(batch, 1, 28, 28) for _ in range(BATCHES)]
    ys = [torch.randint(0, 10, (batch,)) for _ in range(BATCHES)]

    def step(i):
        opt.zero_grad(set_to_none=True)
        loss_fn(model(xs[i]), ys[i]).backward()
        opt.step()
    return step


def sentiment_step(torch, nn, batch):
    class Sentiment(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(VOCABULARY, 64, padding_idx=0)
            self.lstm = nn.LSTM(64, 64, batch_first=True)
            self.logits = nn.Linear(64, 2)

        def forward(self, ids, lengths):
            packed = nn.utils.rnn.pack_padded_sequence(self.embed(ids), lengths, batch_first=True,
                                                       enforce_sorted=False)
            _, (h, _) = self.lstm(packed)
            return self.logits(h[-1])

    model = Sentiment()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    batches = []
    for _ in range(BATCHES):
        lengths = torch.randint(4, SEQUENCE + 1, (batch,))
        ids = torch.randint(2, VOCABULARY, (batch, SEQUENCE))
        ids[torch.arange(SEQUENCE)[None, :] >= lengths[:, None]] = 0
        batches.append((ids, lengths, torch.randint(0, 2, (batch,))))

    def step(i):
        ids, lengths, y = batches[i]
        opt.zero_grad(set_to_none=True)
        loss_fn(model(ids, lengths), y).backward()
        opt.step()
    return step


def vae_step(torch, nn, encoder, decoder, latent, batch):
    params = list(encoder.parameters()) + list(decoder.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    xs = [torch.rand(batch, 1, 28, 28) for _ in range(BATCHES)]

    def step(i):
        x = xs[i]
        opt.zero_grad(set_to_none=True)
        stats = encoder(x)
        mean, log_std = stats[:, :latent], stats[:, latent:]
        z = mean + torch.exp(log_std) * torch.randn_like(mean)
        logits = decoder(z).reshape(batch, 784)
        bce = nn.functional.binary_cross_entropy_with_logits(logits, x.reshape(batch, 784), reduction="sum")
        kl = -0.5 * torch.sum(1 + 2 * log_std - mean * mean - torch.exp(2 * log_std))
        ((bce + kl) / batch).backward()
        opt.step()
    return step


def gan_step(torch, nn, batch):
    g = nn.Sequential(nn.Linear(CODE, 256), nn.ReLU(), nn.Linear(256, 784), nn.Tanh())
    d = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 1))
    g_opt = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    d_opt = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    real = [torch.rand(batch, 784) * 2 - 1 for _ in range(BATCHES)]
    codes = [torch.randn(batch, CODE) for _ in range(BATCHES)]
    ones, zeros = torch.ones(batch, 1), torch.zeros(batch, 1)

    def step(i):
        fake = g(codes[i])
        d_opt.zero_grad(set_to_none=True)
        (bce(d(real[i]), ones) + bce(d(fake.detach()), zeros)).backward()
        d_opt.step()
        g_opt.zero_grad(set_to_none=True)
        bce(d(fake), ones).backward()
        g_opt.step()
    return step


def make_step(torch, nn, workload):
    if workload == "W1":
        return classifier_step(torch, nn, [
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
            nn.Flatten(), nn.Linear(28 * 28 * 64, 10)], 128), 128
    if workload == "W1B":
        return classifier_step(torch, nn, [
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1),
            nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(7 * 7 * 64, 128), nn.ReLU(),
            nn.Linear(128, 10)], 128), 128
    if workload == "W2":
        return sentiment_step(torch, nn, 64), 64
    if workload == "W3":
        encoder = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 100))
        decoder = nn.Sequential(nn.Linear(50, 256), nn.ReLU(), nn.Linear(256, 784))
        return vae_step(torch, nn, encoder, decoder, 50, 128), 128
    if workload == "W3C":
        encoder = nn.Sequential(
            nn.Conv2d(1, 32, 3, stride=2, padding=1), nn.ReLU(), nn.Conv2d(32, 64, 3, stride=2, padding=1),
            nn.ReLU(), nn.Flatten(), nn.Linear(7 * 7 * 64, 40))
        decoder = nn.Sequential(
            nn.Linear(20, 7 * 7 * 64), nn.ReLU(), nn.Unflatten(1, (64, 7, 7)),
            nn.ConvTranspose2d(64, 32, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
            nn.ConvTranspose2d(32, 1, 3, stride=2, padding=1, output_padding=1))
        return vae_step(torch, nn, encoder, decoder, 20, 128), 128
    if workload == "W4":
        return gan_step(torch, nn, 128), 1
    raise SystemExit("unknown workload '%s': expected W1, W1b, W2, W3, W3c or W4" % workload)


def main():
    workload, seconds, warmup, threads = sys.argv[1].upper(), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    try:
        import torch
        from torch import nn
    except ImportError as e:
        print("UNSUPPORTED torch is not installed (%s): apt-get install -y python3-torch libopenblas0-openmp" % e)
        return
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    step, items = make_step(torch, nn, workload)
    step(0)
    print("FIRST_STEP", flush=True)
    for i in range(1, warmup):
        step(i % BATCHES)
    steps, start = 0, time.perf_counter()
    while True:
        step(steps % BATCHES)
        steps += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            break
    print("RESULT steps=%d seconds=%.6f items_per_step=%d peak_rss_kb=%d torch=%s"
          % (steps, elapsed, items, peak_rss_kb(), torch.__version__), flush=True)


if __name__ == "__main__":
    main()
