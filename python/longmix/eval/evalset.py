"""Reads an evalset directory (the contract in docs/evaluation.md) and holds it to that contract.

An evalset is ``_manifest.json`` (``"stage": "evalset"``, ``"complete": true``, the ``cells`` of
validation documents and the ``needle`` grid), ``validation/part-*.parquet`` (one document per row)
and ``needle/part-*.parquet`` (one prompt per row). Everything the scorer relies on is checked here,
before a model is loaded, and every violation is an ``EvalsetError`` naming the file, the value and
the rule.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import posixpath
import re
from dataclasses import dataclass

import fsspec
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

MANIFEST = "_manifest.json"
STAGE = "evalset"

# Table 5's two classes, then the Fig. 2 bins: the column order of every table written.
LENGTH_CLASS_ORDER = (
    "0-4K",
    "4K-128K",
    "0-1K",
    "1K-2K",
    "2K-4K",
    "4K-8K",
    "8K-16K",
    "16K-32K",
    "32K-64K",
    "64K-128K",
    ">128K",
)

VALIDATION_COLUMNS = {
    "doc_id": pa.int64(),
    "domain": pa.string(),
    "length_class": pa.string(),
    "n_tokens": pa.int32(),
    "cut": pa.bool_(),
    "input_ids": "list<int32>",
}
NEEDLE_COLUMNS = {
    "context_length": pa.int32(),
    "depth_percent": pa.float64(),
    "input_ids": "list<int32>",
    "needle_token_position": pa.int32(),
    "prompt": pa.string(),
    "question": pa.string(),
    "question_ids": "list<int32>",
    "answer": pa.string(),
}


class ScorerError(ValueError):
    """A run the scorer refuses: a bad option, a model that does not fit the evalset."""


class EvalsetError(ScorerError):
    """An evalset that breaks the contract of docs/evaluation.md."""


@dataclass(frozen=True)
class Cell:
    """One (domain, length class) cell of the manifest, with the counts the stage wrote."""

    domain: str
    length_class: str
    documents: int
    tokens: int
    cut_documents: int


@dataclass(frozen=True)
class NeedleSpec:
    """The needle grid and texts of the manifest."""

    context_lengths: tuple
    depths_percent: tuple
    needle: str
    question: str
    answer: str

    def grid(self):
        """Every (context length, depth %) point, lengths outer, in manifest order."""
        return list(itertools.product(self.context_lengths, self.depths_percent))


def depth_key(depth: float) -> float:
    """Depths compared as rounded to 1e-6 %, so 11.111111 from JSON and Parquet meet."""
    return round(float(depth), 6)


def class_order(labels) -> list:
    """The length classes in Table 5's then Fig. 2's order; unknown labels after, as first seen."""
    labels = list(dict.fromkeys(labels))
    known = [c for c in LENGTH_CLASS_ORDER if c in labels]
    return known + [c for c in labels if c not in LENGTH_CLASS_ORDER]


class Evalset:
    """An evalset directory: its manifest, validated, and readers for its two tables."""

    def __init__(self, path: str):
        self.path = path.rstrip("/")
        self.fs, self.root = fsspec.core.url_to_fs(self.path)
        m_path = posixpath.join(self.root, MANIFEST)
        if not self.fs.exists(m_path):
            raise EvalsetError(
                f"{self.path}: not a complete evalset: it has no {MANIFEST} (the evalset stage writes"
                " it last, so either the job did not finish or this is not an evalset)"
            )
        with self.fs.open(m_path, "rb") as f:
            raw = f.read()
        self.manifest_sha256 = hashlib.sha256(raw).hexdigest()
        try:
            self.manifest = json.loads(raw)
        except ValueError as e:
            raise EvalsetError(f"{self.path}/{MANIFEST}: not JSON ({e})") from None
        m = self.manifest
        if m.get("stage") != STAGE:
            raise EvalsetError(
                f"{self.path}/{MANIFEST}: stage is {m.get('stage')!r}, not {STAGE!r}: this is not an evalset"
            )
        if m.get("complete") is not True:
            raise EvalsetError(f"{self.path}/{MANIFEST}: the evalset is not marked complete")
        self.tokenizer_sha256 = m.get("tokenizer_sha256")

    # -- manifest sections --------------------------------------------------------------------

    def cells(self) -> list:
        """The manifest's validation cells, in its order; an error if none or malformed."""
        cells = self.manifest.get("cells")
        where = f"{self.path}/{MANIFEST}"
        if not isinstance(cells, list) or not cells:
            raise EvalsetError(f"{where}: 'cells' is missing or empty: there is nothing to score for loss")
        out, seen = [], set()
        for i, c in enumerate(cells):
            try:
                cell = Cell(
                    str(c["domain"]),
                    str(c["length_class"]),
                    int(c["documents"]),
                    int(c["tokens"]),
                    int(c["cut_documents"]),
                )
            except (KeyError, TypeError, ValueError) as e:
                raise EvalsetError(
                    f"{where}: cells[{i}] = {c!r} lacks or mistypes {e}; each cell has domain,"
                    " length_class, documents, tokens, cut_documents"
                ) from None
            key = (cell.domain, cell.length_class)
            if key in seen:
                raise EvalsetError(f"{where}: cell {key} is listed twice")
            seen.add(key)
            out.append(cell)
        return out

    def needle_spec(self) -> NeedleSpec:
        """The manifest's needle grid; an error if missing or malformed."""
        n = self.manifest.get("needle")
        where = f"{self.path}/{MANIFEST}"
        if not isinstance(n, dict):
            raise EvalsetError(f"{where}: 'needle' is missing: this evalset has no needle prompts")
        try:
            spec = NeedleSpec(
                tuple(int(x) for x in n["context_lengths"]),
                tuple(float(x) for x in n["depths_percent"]),
                str(n["needle"]),
                str(n["question"]),
                str(n["answer"]),
            )
        except (KeyError, TypeError, ValueError) as e:
            raise EvalsetError(
                f"{where}: needle lacks or mistypes {e}; it has context_lengths, depths_percent,"
                " needle, question, answer"
            ) from None
        if not spec.context_lengths or not spec.depths_percent:
            raise EvalsetError(f"{where}: needle.context_lengths and needle.depths_percent must not be empty")
        if not re.search(r"[^\W_]", spec.answer):
            raise EvalsetError(f"{where}: needle.answer {spec.answer!r} has no word: nothing could be recalled")
        return spec

    # -- tables --------------------------------------------------------------------------------

    def _table(self, sub: str, columns: dict) -> pa.Table:
        d = posixpath.join(self.root, sub)
        files = sorted(p for p in self.fs.glob(posixpath.join(d, "part-*.parquet")))
        if not files:
            raise EvalsetError(f"{self.path}/{sub}: no part-*.parquet files")
        tables = []
        for p in files:
            with self.fs.open(p, "rb") as f:
                t = pq.read_table(f, columns=list(columns))
            shown = f"{self.path}/{sub}/{posixpath.basename(p)}"
            _check_schema(t.schema, columns, shown)
            for name in columns:
                if t.column(name).null_count:
                    raise EvalsetError(f"{shown}: column {name!r} has {t.column(name).null_count} nulls")
            tables.append(t.select(list(columns)))
        return pa.concat_tables(tables).combine_chunks()

    def validation(self) -> "Documents":
        """The validation documents, checked against the manifest's cells."""
        return Documents(self._table("validation", VALIDATION_COLUMNS), self.cells(), f"{self.path}/validation")

    def needle_rows(self) -> list:
        """The needle prompts as dicts, checked against the manifest's grid."""
        spec = self.needle_spec()
        t = self._table("needle", NEEDLE_COLUMNS)
        rows = t.to_pylist()
        where = f"{self.path}/needle"
        grid = {(L, depth_key(d)) for L, d in spec.grid()}
        seen = set()
        for i, r in enumerate(rows):
            key = (r["context_length"], depth_key(r["depth_percent"]))
            if key not in grid:
                raise EvalsetError(
                    f"{where}: row {i} is at context_length={key[0]}, depth_percent={key[1]}, a point"
                    " not in the manifest's needle grid"
                )
            if len(r["input_ids"]) != r["context_length"]:
                raise EvalsetError(
                    f"{where}: row {i} ({key}) has {len(r['input_ids'])} input_ids, not its"
                    f" context_length {r['context_length']}"
                )
            if not 0 <= r["needle_token_position"] < r["context_length"]:
                raise EvalsetError(
                    f"{where}: row {i} ({key}) has needle_token_position {r['needle_token_position']},"
                    f" outside [0, {r['context_length']})"
                )
            if not r["question_ids"]:
                raise EvalsetError(f"{where}: row {i} ({key}) has no question_ids: the model would not be asked")
            if not re.search(r"[^\W_]", r["answer"]):
                raise EvalsetError(f"{where}: row {i} ({key}) has an answer without a word: {r['answer']!r}")
            seen.add(key)
        missing = sorted(grid - seen)
        if missing:
            raise EvalsetError(
                f"{where}: {len(missing)} grid point(s) of the manifest have no prompt, e.g."
                f" {missing[:3]}; every (context_length, depth_percent) needs one"
            )
        return rows


class Documents:
    """The validation table as NumPy arrays: ``ids(i)`` is document ``i``'s tokens."""

    def __init__(self, table: pa.Table, cells: list, where: str):
        self.cells = cells
        n = table.num_rows
        self.doc_id = table.column("doc_id").to_numpy()
        self.domain = table.column("domain").to_pylist()
        self.length_class = table.column("length_class").to_pylist()
        self.n_tokens = table.column("n_tokens").to_numpy().astype(np.int64)
        self.cut = table.column("cut").to_numpy(zero_copy_only=False)
        ids = table.column("input_ids").chunk(0) if n else None
        self._offsets = ids.offsets.to_numpy() if n else np.zeros(1, np.int64)
        self._values = ids.values.to_numpy() if n else np.zeros(0, np.int32)
        lengths = np.diff(self._offsets)
        bad = np.nonzero(lengths != self.n_tokens)[0]
        if len(bad):
            i = int(bad[0])
            raise EvalsetError(
                f"{where}: doc_id {self.doc_id[i]} has n_tokens {self.n_tokens[i]} but"
                f" {lengths[i]} input_ids ({len(bad)} such documents)"
            )
        if len(np.unique(self.doc_id)) != n:
            raise EvalsetError(f"{where}: doc_id is not unique")
        self._check_cells(where)

    def __len__(self):
        return len(self.doc_id)

    def ids(self, i: int) -> np.ndarray:
        return self._values[self._offsets[i] : self._offsets[i + 1]]

    def max_id(self) -> int:
        return int(self._values.max()) if len(self._values) else -1

    def _check_cells(self, where: str):
        held = {}
        for i in range(len(self)):
            c = held.setdefault((self.domain[i], self.length_class[i]), [0, 0, 0])
            c[0] += 1
            c[1] += int(self.n_tokens[i])
            c[2] += bool(self.cut[i])
        listed = {(c.domain, c.length_class): c for c in self.cells}
        extra = sorted(set(held) - set(listed))
        if extra:
            raise EvalsetError(
                f"{where}: documents of cell(s) {extra[:3]} that the manifest's cells do not list"
            )
        for key, c in listed.items():
            got = held.get(key, [0, 0, 0])
            want = [c.documents, c.tokens, c.cut_documents]
            if got != want:
                raise EvalsetError(
                    f"{where}: cell {key}: the manifest says documents/tokens/cut_documents"
                    f" {want}, the Parquet files hold {got}"
                )


def _check_schema(schema: pa.Schema, columns: dict, where: str):
    for name, want in columns.items():
        idx = schema.get_field_index(name)
        if idx < 0:
            raise EvalsetError(f"{where}: column {name!r} is missing; the contract's columns are {list(columns)}")
        got = schema.field(idx).type
        if want == "list<int32>":
            ok = pa.types.is_list(got) and got.value_type == pa.int32()
        else:
            ok = got == want
        if not ok:
            raise EvalsetError(f"{where}: column {name!r} is {got}, the contract says {want}")
