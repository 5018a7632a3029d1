"""Packed outputs for the loader's tests: small synthetic ones written here (always), and the Java
pipeline's own outputs when LONGMIX_PACKED (concat packing) and LONGMIX_PACKED_BEST_FIT (best-fit
packing, padded rows) name them (the JUnit test PythonPackageTest sets both)."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import packed_writer  # noqa: E402

SEQ_LEN = 64


JAVA_OUTPUTS = {"java": "LONGMIX_PACKED", "java_best_fit": "LONGMIX_PACKED_BEST_FIT"}


def java_packed(name="java"):
    var = JAVA_OUTPUTS[name]
    p = os.environ.get(var)
    if p and not os.path.isfile(os.path.join(p, "_manifest.json")):
        raise RuntimeError(f"{var}={p} has no _manifest.json")
    return p


@pytest.fixture(scope="session")
def greedy_packed(tmp_path_factory):
    """44 rows of 64 ids cut from 60 documents, the last one padded, in 3 files of row groups of 4."""
    out = str(tmp_path_factory.mktemp("greedy") / "packed")
    docs = packed_writer.documents(60, seed=5, max_len=90)
    rows = packed_writer.greedy_rows(docs, SEQ_LEN)
    packed_writer.write_packed(out, rows, SEQ_LEN)
    return out


@pytest.fixture(scope="session")
def best_fit_packed(tmp_path_factory):
    """Whole documents per row, every row padded at its end (a best-fit packer's output)."""
    out = str(tmp_path_factory.mktemp("best_fit") / "packed")
    docs = packed_writer.documents(50, seed=6, max_len=SEQ_LEN)
    packed_writer.write_packed(out, packed_writer.best_fit_rows(docs, SEQ_LEN), SEQ_LEN)
    return out


def _output(request):
    if request.param in JAVA_OUTPUTS:
        return java_packed(request.param)
    return request.getfixturevalue(request.param + "_packed")


@pytest.fixture(params=["greedy", "best_fit"] + [n for n in JAVA_OUTPUTS if java_packed(n)])
def packed(request):
    """Each packed output the tests hold to the contract: synthetic ones, and the Java ones when given."""
    return _output(request)


@pytest.fixture(params=["best_fit"] + (["java_best_fit"] if java_packed("java_best_fit") else []))
def padded(request):
    """The outputs of a best-fit packing, whose rows carry padding: synthetic, and the Java one when given."""
    return request.param, _output(request)
