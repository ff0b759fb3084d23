"""Writes the seed corpora of the file readers' fuzz tests (runtime/src/test/resources/.../*FuzzTestInputs).

Each reader gets a few valid files and hand-made malformed ones (the attacks its reader must refuse);
`mvn verify` replays every seed, and a fuzzing session (docs/robustness.md) starts from them. Inputs
that fuzzing found are kept beside them under the names Jazzer gave them. Run from the repository
root: python3 runtime/src/test/python/make_fuzz_seeds.py
"""
import gzip
import io
import json
import pathlib
import struct
import tarfile
import zipfile
import warnings

warnings.simplefilter("ignore")  # zipfile warns about the deliberate duplicate entry
ROOT = pathlib.Path("runtime/src/test/resources/dev/kiln/runtime")


def seeds(package, test, method, files):
    folder = ROOT / package / (test + "Inputs") / method
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)


# --- JSON ---------------------------------------------------------------------------------------
seeds("io", "JsonFuzzTest", "parse", {
    "object": b'{"format": "kiln-vocabulary", "version": 1, "tokens": ["<pad>", "<unk>", "a\\u00e9\\n"]}',
    "list": b'[{"text": "good", "class": 1}, {"text": "bad", "class": 0}, null]',
    "deep": b"[" * 40 + b"]" * 40,
    "duplicate-key": b'{"a": 1, "a": 2}',
    "bad-escape": b'"\\u+123"',
    "fraction": b"[1.5]",
    "huge-integer": b"[123456789012345678901234567890]",
    "unterminated": b'{"a": [1, 2',
})

# --- .npy ---------------------------------------------------------------------------------------
def npy(descr, shape, data, version=1, order="False", header=None):
    shape_text = "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    text = header or "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, order, shape_text)
    text = text.encode("latin-1")
    prefix = 10 if version == 1 else 12
    pad = (64 - (prefix + len(text) + 1) % 64) % 64
    text = text + b" " * pad + b"\n"
    size = struct.pack("<H", len(text)) if version == 1 else struct.pack("<I", len(text))
    return b"\x93NUMPY" + bytes([version, 0]) + size + text + data


F4 = struct.pack("<6f", 1, 2, 3, 4, 5, 6)
NPY_SEEDS = {
    "f4-2x3": npy("<f4", (2, 3), F4),
    "u1-scalar": npy("|u1", (), b"\x07"),
    "i8-v2": npy("<i8", (2,), struct.pack("<2q", -1, 2**40), version=2),
    "bad-magic": b"\x93NUMPX" + npy("<f4", (2, 3), F4)[6:],
    "truncated-data": npy("<f4", (2, 3), F4[:10]),
    "truncated-header": npy("<f4", (2, 3), F4)[:30],
    "shape-overflow": npy("<f8", (2**62, 2**62), b""),
    "shape-past-limit": npy("<f4", (1 << 30,), b""),
    "negative-dim": npy("<f4", (-1, 3), b""),
    "big-endian": npy(">f4", (2, 3), F4),
    "fortran": npy("<f4", (2, 3), F4, order="True"),
    "no-shape": npy("<f4", (), F4, header="{'descr': '<f4', 'fortran_order': False}"),
    "garbage-shape": npy("<f4", (), F4, header="{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }"),
    "version-9": npy("<f4", (2, 3), F4)[:6] + b"\x09\x00" + npy("<f4", (2, 3), F4)[8:],
}
seeds("io", "NpyFuzzTest", "read", NPY_SEEDS)

# --- .npz ---------------------------------------------------------------------------------------
def npz(entries, compression=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        for name, content in entries.items() if isinstance(entries, dict) else entries:
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), content, compression)
    return out.getvalue()


def lying_size(archive, name, size):
    """Rewrites the uncompressed size of `name` in its local header and the central directory."""
    data = bytearray(archive)
    encoded = name.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = data.find(signature)
        while at >= 0:
            if data[at + name_at:at + name_at + len(encoded)] == encoded:
                data[at + size_at:at + size_at + 4] = struct.pack("<I", size)
            at = data.find(signature, at + 4)
    return bytes(data)


bomb = npy("<f4", (4_000_000,), bytes(16_000_000))  # 16 MB of zeros deflates to about 16 KB
seeds("io", "NpzFuzzTest", "read", {
    "two-arrays": npz({"kernel.npy": NPY_SEEDS["f4-2x3"], "bias.npy": npy("<f4", (3,), F4[:12])}),
    "stored": npz({"a.npy": NPY_SEEDS["u1-scalar"]}, zipfile.ZIP_STORED),
    "bomb": npz({"zeros.npy": bomb}),
    "size-lie": lying_size(npz({"a.npy": NPY_SEEDS["f4-2x3"]}), "a.npy", 20),
    "not-npy-entry": npz({"readme.txt": b"hello"}),
    "bad-array": npz({"a.npy": NPY_SEEDS["truncated-data"]}),
    "trailing-bytes": npz({"a.npy": NPY_SEEDS["f4-2x3"] + b"extra"}),
    "duplicate": npz([("a.npy", NPY_SEEDS["u1-scalar"]), ("a.npy", NPY_SEEDS["u1-scalar"])]),
    "empty-zip": npz({}),
    "truncated": npz({"a.npy": NPY_SEEDS["f4-2x3"]})[:40],
    "not-zip": b"this is not a zip archive at all",
})

# --- safetensors --------------------------------------------------------------------------------
def safetensors(header, data, header_length=None):
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    length = len(text) if header_length is None else header_length
    return struct.pack("<Q", length) + text + data


def tensor(dtype, shape, begin, end):
    return {"dtype": dtype, "shape": list(shape), "data_offsets": [begin, end]}


seeds("io", "SafeTensorsFuzzTest", "read", {
    "two-tensors": safetensors({"__metadata__": {"format": "flax"}, "dense/kernel": tensor("F32", (2, 3), 0, 24),
                                "dense/bias": tensor("F32", (3,), 24, 36)}, F4 + F4[:12]),
    "scalar-u8": safetensors({"s": tensor("U8", (), 0, 1)}, b"\x05"),
    "absurd-header-length": safetensors({"a": tensor("F32", (1,), 0, 4)}, F4[:4], header_length=2**63 + 5),
    "header-past-end": safetensors({"a": tensor("F32", (1,), 0, 4)}, F4[:4], header_length=4096),
    "offsets-past-end": safetensors({"a": tensor("F32", (6,), 0, 24)}, F4[:8]),
    "overlap": safetensors({"a": tensor("F32", (2,), 0, 8), "b": tensor("F32", (2,), 4, 12)}, F4[:12]),
    "out-of-order": safetensors({"b": tensor("F32", (1,), 4, 8), "a": tensor("F32", (1,), 0, 4)}, F4[:8]),
    "gap": safetensors({"a": tensor("F32", (1,), 4, 8)}, F4[:8]),
    "dtype-size-mismatch": safetensors({"a": tensor("F64", (2, 3), 0, 24)}, F4),
    "shape-overflow": safetensors({"a": tensor("F32", (2**62, 2**62, 4), 0, 24)}, F4),
    "bad-dtype": safetensors({"a": tensor("F16", (2,), 0, 4)}, F4[:4]),
    "not-json": struct.pack("<Q", 8) + b"{{{{{{{{",
    "short": b"\x01\x02\x03",
})

# --- IDX ----------------------------------------------------------------------------------------
def idx(magic, dims, data):
    return struct.pack(">I", magic) + b"".join(struct.pack(">i", d) for d in dims) + data


images = idx(0x803, (2, 2, 3), bytes(range(12)))
seeds("data", "IdxFuzzTest", "read", {
    "images": images,
    "images-gzip": gzip.compress(images, mtime=0),
    "labels": idx(0x801, (4,), bytes([0, 1, 9, 3])),
    "label-out-of-range": idx(0x801, (3,), bytes([0, 12, 1])),
    "bad-magic": idx(0x80D, (2, 2, 3), bytes(range(12))),
    "dims-past-file": idx(0x803, (1000, 1000, 2000), bytes(100)),  # 2 GB claimed, 100 bytes present
    "dims-overflow": idx(0x803, (2**31 - 1, 2**31 - 1, 2**31 - 1), b""),
    "negative-dim": idx(0x803, (-2, 2, 3), bytes(12)),
    "trailing-bytes": images + b"\x00",
    "truncated-header": images[:9],
    "gzip-truncated": gzip.compress(images, mtime=0)[:-9],
    "gzip-corrupt": gzip.compress(images, mtime=0)[:12] + b"\xff" * 20,
})

# --- tar ----------------------------------------------------------------------------------------
def tar(members, fmt=tarfile.USTAR_FORMAT):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=fmt) as t:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            t.addfile(info, io.BytesIO(content))
    return out.getvalue()


def with_size(archive, octal_size):
    """Rewrites the first header's size field (and its checksum) so the header lies about its member."""
    header = bytearray(archive[:512])
    header[124:136] = octal_size.encode().ljust(12, b"\0")
    header[148:156] = b" " * 8
    header[148:156] = b"%06o\0 " % sum(header)
    return bytes(header) + archive[512:]


archive = tar({"package/data.json": b'[{"text": "ok", "class": 1}]', "other.txt": b"x" * 700})
seeds("data", "TarFuzzTest", "read", {
    "ustar": archive,
    "pax-long-name": tar({"package/" + "d" * 120 + "/a.txt": b"deep", "a.txt": b"top"}, tarfile.PAX_FORMAT),
    "gnu-long-name": tar({"x" * 150: b"long", "a.txt": b"a"}, tarfile.GNU_FORMAT),
    "truncated-member": archive[:600],
    "truncated-header": archive[:300],
    "size-past-end": with_size(archive, "77777777777"),
    "size-past-limit": with_size(archive, "1000000"),
    "bad-checksum": archive[:148] + b"0000000\0" + archive[156:],
    "not-octal": with_size(archive, "9z"),
})
