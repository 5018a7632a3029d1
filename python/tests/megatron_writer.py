"""A Megatron-LM indexed dataset writer in plain Python (struct and array, no NumPy), for tests only.

It follows the byte layout written down in docs/output-format.md ("Megatron-LM indexed dataset"),
so that the NumPy reader in longmix.megatron is checked against an independent implementation.
"""

import array
import struct

MAGIC = b"MMIDIDX\x00\x00"
# dtype code -> array typecode of that width and signedness
TYPECODES = {1: "B", 2: "b", 3: "h", 4: "i", 5: "q", 8: "H"}
WIDTHS = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 8: 2}


def write(prefix, documents, code=8, modes=None):
    """Writes ``documents`` (each a list of sequences, each a list of ids) as ``prefix.idx/.bin``
    with token dtype ``code``; ``modes`` (one int per sequence) adds the multimodal trailer."""
    lengths, doc_index = [], [0]
    with open(prefix + ".bin", "wb") as b:
        for doc in documents:
            for seq in doc:
                ids = array.array(TYPECODES[code], seq)
                if ids.itemsize != WIDTHS[code]:
                    raise ValueError(f"typecode {TYPECODES[code]} is {ids.itemsize} bytes here")
                b.write(_little(ids).tobytes())
                lengths.append(len(seq))
            doc_index.append(len(lengths))
    pointers, at = [], 0
    for n in lengths:
        pointers.append(at)
        at += n * WIDTHS[code]
    with open(prefix + ".idx", "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<Q", 1))
        f.write(struct.pack("<B", code))
        f.write(struct.pack("<Q", len(lengths)))
        f.write(struct.pack("<Q", len(doc_index)))
        f.write(struct.pack(f"<{len(lengths)}i", *lengths))
        f.write(struct.pack(f"<{len(pointers)}q", *pointers))
        f.write(struct.pack(f"<{len(doc_index)}q", *doc_index))
        if modes is not None:
            f.write(struct.pack(f"<{len(modes)}b", *modes))


def _little(a):
    import sys

    if sys.byteorder == "big":
        a = array.array(a.typecode, a)
        a.byteswap()
    return a
