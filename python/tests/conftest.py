"""Packed outputs for the loader's tests: small synthetic ones written here (always), and the Java
pipeline's own output when LONGMIX_PACKED names one (the JUnit test PythonPackageTest sets it)."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import packed_writer  # noqa: E402

SEQ_LEN = 64


def java_packed():
    p = os.environ.get("LONGMIX_PACKED")
    if p and not os.path.isfile(os.path.join(p, "_manifest.json")):
        raise RuntimeError(f"LONGMIX_PACKED={p} has no _manifest.json")
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


def _outputs():
    names = ["greedy", "best_fit"]
    if java_packed():
        names.append("java")
    return names


@pytest.fixture(params=_outputs())
def packed(request):
    """Each packed output the tests hold to the contract: synthetic ones, and the Java one when given."""
    if request.param == "java":
        return java_packed()
    return request.getfixturevalue(request.param + "_packed")
