"""longmix.megatron.IndexedDataset against an independent pure-Python writer, and on broken files."""

import os
import struct

import numpy as np
import pytest

import megatron_writer
from longmix.megatron import HEADER_BYTES, IndexedDataset, IndexedDatasetError

DOCS = [
    [[1, 17, 65535, 3], [4, 5]],  # one document of two sequences
    [[1, 2]],
    [[]],  # an empty sequence is legal
    [[1] + list(range(100, 140))],
]


@pytest.mark.parametrize("code, dtype", [(8, np.uint16), (4, np.int32), (5, np.int64), (1, np.uint8)])
def test_round_trip(tmp_path, code, dtype):
    docs = [[[t % 256 for t in s] for s in d] for d in DOCS] if code == 1 else DOCS
    prefix = str(tmp_path / "data_text_document")
    megatron_writer.write(prefix, docs, code=code)
    ds = IndexedDataset(prefix)
    flat = [s for d in docs for s in d]
    assert ds.dtype == np.dtype(dtype) and len(ds) == len(flat) == 5
    assert [ds[i].tolist() for i in range(len(ds))] == flat
    assert ds[-1].tolist() == flat[-1]
    assert ds.sequence_lengths.tolist() == [len(s) for s in flat]
    assert ds.document_indices.tolist() == [0, 2, 3, 4, 5] and ds.num_documents == 4
    assert [s.tolist() for s in ds.document(0)] == docs[0]
    assert ds.sequence_pointers[1] == 4 * np.dtype(dtype).itemsize
    assert ds.sequence_modes is None
    assert os.path.getsize(prefix + ".idx") == HEADER_BYTES + 5 * 12 + 5 * 8 == 134


def test_sequence_modes_trailer(tmp_path):
    prefix = str(tmp_path / "mm")
    megatron_writer.write(prefix, DOCS, modes=[0, 1, 0, 0, 1])
    assert IndexedDataset(prefix).sequence_modes.tolist() == [0, 1, 0, 0, 1]


def test_the_header_is_the_documented_bytes(tmp_path):
    prefix = str(tmp_path / "h")
    megatron_writer.write(prefix, DOCS, code=4)
    head = open(prefix + ".idx", "rb").read(HEADER_BYTES)
    assert head[:9] == b"MMIDIDX\x00\x00"
    assert struct.unpack("<QBQQ", head[9:]) == (1, 4, 5, 5)


def corrupt(prefix, offset, data):
    with open(prefix + ".idx", "r+b") as f:
        f.seek(offset)
        f.write(data)


@pytest.mark.parametrize(
    "breakage, message",
    [
        (lambda p: corrupt(p, 0, b"XXIDIDX"), "does not start with the index magic"),
        (lambda p: corrupt(p, 9, struct.pack("<Q", 2)), "index version 2"),
        (lambda p: corrupt(p, 17, b"\x09"), "dtype code 9"),
        (lambda p: open(p + ".idx", "ab").write(b"\x00\x00"), "bytes, but 5 sequences and 5 document indices take 134"),
        (lambda p: open(p + ".bin", "ab").write(b"\x00\x00"), "data_text_document.bin: 100 bytes, the index describes 98"),
        (lambda p: corrupt(p, HEADER_BYTES + 5 * 4 + 8, struct.pack("<q", 6)), "sequence 1 points at byte 6, expected 8"),
        (lambda p: corrupt(p, HEADER_BYTES + 5 * 12, struct.pack("<q", 1)), "document indices must rise from 0"),
        (lambda p: os.remove(p + ".bin"), "data_text_document.bin: no such file"),
        (lambda p: open(p + ".idx", "wb").close(), "0 bytes, shorter than the 34-byte header"),
    ],
)
def test_broken_files_fail_naming_them(tmp_path, breakage, message):
    prefix = str(tmp_path / "data_text_document")
    megatron_writer.write(prefix, DOCS, code=8)
    breakage(prefix)
    with pytest.raises(IndexedDatasetError, match=message):
        IndexedDataset(prefix)
