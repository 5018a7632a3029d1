"""Reads Megatron-LM's indexed dataset (``PREFIX.idx`` + ``PREFIX.bin``, index magic ``MMIDIDX``).

Written from the layout of ``megatron/core/datasets/indexed_dataset.py`` (docs/output-format.md,
"Megatron-LM indexed dataset", says it byte by byte), independently of that code, so that it can
check what ``longmix export --format megatron`` writes. Both files are memory-mapped; nothing is
read until a sequence is asked for.
"""

from __future__ import annotations

import os
import struct

import numpy as np

MAGIC = b"MMIDIDX\x00\x00"
VERSION = 1
HEADER_BYTES = len(MAGIC) + 8 + 1 + 8 + 8  # magic, version, dtype code, sequence and document counts

DTYPES = {
    1: np.uint8,
    2: np.int8,
    3: np.int16,
    4: np.int32,
    5: np.int64,
    6: np.float64,
    7: np.float32,
    8: np.uint16,
}
"""Megatron's dtype codes for the token ids in ``.bin``."""


class IndexedDatasetError(ValueError):
    """An ``.idx``/``.bin`` pair that does not follow the layout; the message names the file."""


class IndexedDataset:
    """Sequences of token ids from a Megatron-LM indexed dataset at ``prefix`` (without extension).

    ``ds[i]`` is sequence ``i`` (a read-only NumPy view into ``.bin``); ``sequence_lengths``,
    ``sequence_pointers`` (byte offsets into ``.bin``) and ``document_indices`` (sequence index where
    each document starts, from 0, ending with the sequence count) are the index's arrays;
    ``document(d)`` lists document ``d``'s sequences. The constructor checks the header, that the
    arrays fit the index file exactly (an optional trailing int8 mode per sequence, written for
    multimodal data, is accepted and exposed as ``sequence_modes``), that pointers are the running
    byte sum of the lengths and that ``.bin`` holds exactly those bytes.
    """

    def __init__(self, prefix: str):
        self.prefix = str(prefix)
        idx_path, bin_path = self.prefix + ".idx", self.prefix + ".bin"
        for p in (idx_path, bin_path):
            if not os.path.isfile(p):
                raise IndexedDatasetError(f"{p}: no such file (a Megatron indexed dataset is PREFIX.idx + PREFIX.bin)")
        if os.path.getsize(idx_path) < HEADER_BYTES:
            raise IndexedDatasetError(f"{idx_path}: {os.path.getsize(idx_path)} bytes, shorter than the {HEADER_BYTES}-byte header")
        idx = np.memmap(idx_path, mode="r", dtype=np.uint8)
        if len(idx) < HEADER_BYTES or bytes(idx[: len(MAGIC)]) != MAGIC:
            raise IndexedDatasetError(f"{idx_path}: does not start with the index magic {MAGIC!r}")
        version, code, n_seq, n_doc = struct.unpack_from("<QBQQ", bytes(idx[len(MAGIC) : HEADER_BYTES]))
        if version != VERSION:
            raise IndexedDatasetError(f"{idx_path}: index version {version}, this reader knows {VERSION}")
        if code not in DTYPES:
            raise IndexedDatasetError(f"{idx_path}: dtype code {code}, expected one of {sorted(DTYPES)}")
        self.dtype = np.dtype(DTYPES[code]).newbyteorder("<")  # the layout is little-endian
        arrays = HEADER_BYTES + n_seq * 4 + n_seq * 8 + n_doc * 8
        if len(idx) not in (arrays, arrays + n_seq):
            raise IndexedDatasetError(
                f"{idx_path}: {len(idx)} bytes, but {n_seq} sequences and {n_doc} document indices take"
                f" {arrays} (or {arrays + n_seq} with sequence modes)"
            )
        off = HEADER_BYTES
        self.sequence_lengths = np.frombuffer(idx, dtype="<i4", count=n_seq, offset=off)
        off += n_seq * 4
        self.sequence_pointers = np.frombuffer(idx, dtype="<i8", count=n_seq, offset=off)
        off += n_seq * 8
        self.document_indices = np.frombuffer(idx, dtype="<i8", count=n_doc, offset=off)
        off += n_doc * 8
        self.sequence_modes = np.frombuffer(idx, dtype=np.int8, count=n_seq, offset=off) if len(idx) > off else None

        lengths = self.sequence_lengths.astype(np.int64)
        if (lengths < 0).any():
            raise IndexedDatasetError(f"{idx_path}: sequence {int(np.argmax(lengths < 0))} has a negative length")
        expected = np.concatenate(([0], np.cumsum(lengths)[:-1])) * self.dtype.itemsize if n_seq else lengths
        if not np.array_equal(self.sequence_pointers, expected):
            i = int(np.flatnonzero(self.sequence_pointers != expected)[0])
            raise IndexedDatasetError(
                f"{idx_path}: sequence {i} points at byte {int(self.sequence_pointers[i])}, expected {int(expected[i])}"
            )
        docs = self.document_indices
        if n_doc == 0 or docs[0] != 0 or docs[-1] != n_seq or (np.diff(docs) < 0).any():
            raise IndexedDatasetError(
                f"{idx_path}: document indices must rise from 0 to the sequence count {n_seq}"
                f" (got {docs[:3].tolist()}...{docs[-1:].tolist()})"
            )
        want = int(lengths.sum()) * self.dtype.itemsize
        size = os.path.getsize(bin_path)
        if size != want:
            raise IndexedDatasetError(f"{bin_path}: {size} bytes, the index describes {want}")
        self._bin = np.memmap(bin_path, mode="r", dtype=self.dtype) if want else np.empty(0, self.dtype)

    def __len__(self) -> int:
        return len(self.sequence_lengths)

    def __getitem__(self, i: int) -> np.ndarray:
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"sequence {i}: {self.prefix} has {n}")
        i %= n
        start = int(self.sequence_pointers[i]) // self.dtype.itemsize
        return self._bin[start : start + int(self.sequence_lengths[i])]

    @property
    def num_documents(self) -> int:
        return len(self.document_indices) - 1

    def document(self, d: int) -> list:
        """The sequences of document ``d``."""
        a, b = int(self.document_indices[d]), int(self.document_indices[d + 1])
        return [self[i] for i in range(a, b)]
