"""The scorer's rules without a model: answer matching, ROUGE-1 recall, the ±0.01 shading of the
baseline page, batch plans, column order, and the evalset contract's checks."""

import csv
import json
import os
import re
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

pytest.importorskip("matplotlib")
from longmix.eval import Evalset, EvalsetError  # noqa: E402
from longmix.eval.cli import main  # noqa: E402
from longmix.eval.evalset import class_order  # noqa: E402
from longmix.eval.loss import plan_batches  # noqa: E402
from longmix.eval.needle import normalise, plan_prompts, recalled, rouge1_recall  # noqa: E402
from longmix.eval.report import loss_table, shade  # noqa: E402

ANSWER = "eat a sandwich and sit in Dolores Park on a sunny day"


@pytest.mark.parametrize(
    "output, is_recalled, recall",
    [
        (ANSWER, True, 1.0),
        ("The best thing to do is to EAT a sandwich, and sit in Dolores-Park on a sunny day!", True, 1.0),
        ("eat a sandwich and sit in Dolores Park on a sunny day.\nMore text.", True, 1.0),
        ("sit in Dolores Park", False, 4 / 12),
        ("a a a a", False, 2 / 12),  # clipped: the answer has "a" twice
        ("eat a sandwich and sit in Dolores Parks on a sunny day", False, 11 / 12),  # no stemming
        ("eat a sandwich and sit in dolores park on a sunny daytime", False, 11 / 12),  # whole words
        ("", False, 0.0),
        ("day sunny a on Park Dolores in sit and sandwich a eat", False, 1.0),  # order: recall only
    ],
)
def test_recalled_and_rouge1_recall_follow_the_rule(output, is_recalled, recall):
    assert recalled(ANSWER, output) is is_recalled
    assert rouge1_recall(ANSWER, output) == pytest.approx(recall)


def test_normalise_folds_case_and_drops_punctuation_and_underscores():
    assert normalise("  Dolores_Park, SUNNY-day.\n") == "dolores park sunny day"
    assert normalise("Straße 12") == "strasse 12"


@pytest.mark.parametrize(
    "delta, expected",
    [(0.0, "neutral"), (0.005, "neutral"), (-0.005, "neutral"), (2.01 - 2.0, "neutral"), (2.0 - 2.01, "neutral"),
     (0.0101, "worse"), (0.05, "worse"), (-0.0101, "better"), (-0.05, "better"), (None, "missing"),
     (float("nan"), "missing")],
)
def test_shade_treats_a_hundredth_either_way_as_not_significant(delta, expected):
    assert shade(delta) == expected


def test_batches_are_longest_first_within_the_token_budget():
    lengths = [5, 50, 20, 20, 1, 200, 10]
    batches = plan_batches(lengths, batch_tokens=60)
    assert batches == [[5], [1], [2, 3, 6], [0]]  # 200 alone (over budget); 3 x 20 fits; 1 token: nothing to predict
    for b in batches:
        assert len(b) == 1 or len(b) * max(lengths[i] for i in b) <= 60
    assert sorted(i for b in batches for i in b) == [0, 1, 2, 3, 5, 6]


def test_needle_batches_hold_prompts_of_one_length_and_skip_longer_contexts():
    rows = [{"context_length": L, "input_ids": [0] * L, "question_ids": [0] * 3} for L in (8, 16, 8, 16, 32, 8)]
    batches, skipped = plan_prompts(rows, batch_size=2, max_context_length=16)
    assert skipped == [4]
    assert batches == [[1, 3], [0, 2], [5]]


def test_columns_follow_table_5_then_fig_2_order():
    assert class_order(["4K-128K", "0-4K"]) == ["0-4K", "4K-128K"]
    bins = [">128K", "64K-128K", "0-1K", "2K-4K", "1K-2K", "8K-16K", "4K-8K", "32K-64K", "16K-32K", "other"]
    assert class_order(bins) == ["0-1K", "1K-2K", "2K-4K", "4K-8K", "8K-16K", "16K-32K", "32K-64K",
                                 "64K-128K", ">128K", "other"]


def test_summary_rows_weigh_tokens_and_domains_as_named():
    rows = [
        {"domain": "a", "length_class": "0-4K", "predicted_tokens": 100, "loss": 2.0},
        {"domain": "b", "length_class": "0-4K", "predicted_tokens": 300, "loss": 4.0},
    ]
    _, _, table = loss_table(rows)
    assert table[("all tokens", "0-4K")] == pytest.approx(3.5)
    assert table[("mean of domains", "0-4K")] == pytest.approx(3.0)


# -- the baseline page, from two loss.csv files ----------------------------------------------------

CELLS = [("CC", "0-4K", 2.000, +0.005), ("CC", "4K-128K", 2.100, +0.05), ("Book", "0-4K", 2.500, -0.05),
         ("Book", "4K-128K", 2.200, +0.01), ("ArXiv", "0-4K", 1.500, -0.01)]


def _loss_csv(path, losses):
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "loss.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["domain", "length_class", "predicted_tokens", "loss"])
        for (d, c), v in losses.items():
            w.writerow([d, c, 10, repr(v)])


def cell_classes(html_text):
    """{(domain, class): css class} of the diff page's cells, read off its table."""
    head = re.search(r"<tr><th class=\"name\">domain</th>(.*?)</tr>", html_text).group(1)
    classes = re.findall(r"<th>(.*?)</th>", head)
    out = {}
    for row in re.findall(r"<tr(?: class=\"summary\")?><td class=\"name\">(.*?)</td>(.*?)</tr>", html_text):
        for c, css in zip(classes, re.findall(r"<td class=\"(\w+)\"", row[1])):
            out[(row[0], c)] = css
    return out


def test_diff_page_shades_known_differences(tmp_path, capsys):
    model = {(d, c): base + delta for d, c, base, delta in CELLS}
    baseline = {(d, c): base for d, c, base, _ in CELLS}
    baseline[("Wiki", "0-4K")] = 2.0  # a cell only the baseline has
    _loss_csv(tmp_path / "run", model)
    _loss_csv(tmp_path / "base", baseline)
    assert main(["diff", "--run", str(tmp_path / "run"), "--baseline", str(tmp_path / "base" / "loss.csv"),
                 "--out", str(tmp_path / "out")]) == 0
    page = (tmp_path / "out" / "diff.html").read_text()
    got = cell_classes(page)
    assert got[("CC", "0-4K")] == "neutral"
    assert got[("CC", "4K-128K")] == "worse"
    assert got[("Book", "0-4K")] == "better"
    assert got[("Book", "4K-128K")] == "neutral"  # exactly +0.01
    assert got[("ArXiv", "0-4K")] == "neutral"  # exactly -0.01
    assert got[("Wiki", "0-4K")] == "missing"
    assert got[("ArXiv", "4K-128K")] == "missing"
    assert "#f4b6b6" in page and "worse" in page and "#b7e1b0" in page  # red = worse, green = better
    with open(tmp_path / "out" / "diff.csv") as f:
        rows = {(r["domain"], r["length_class"]): r for r in csv.DictReader(f)}
    assert float(rows[("CC", "4K-128K")]["delta"]) == pytest.approx(0.05)
    assert rows[("Book", "0-4K")]["shade"] == "better"
    md = (tmp_path / "out" / "diff.md").read_text()
    assert "+0.050 (worse)" in md and "-0.050 (better)" in md
    assert "'better': 1, 'worse': 1, 'neutral': 3, 'missing': 1" in capsys.readouterr().out


# -- the contract's checks ----------------------------------------------------------------------


def _tiny_evalset(path):
    os.makedirs(path / "validation")
    os.makedirs(path / "needle")
    t = pa.table({"doc_id": pa.array([1, 2], pa.int64()), "domain": ["CC", "CC"], "length_class": ["0-4K", "0-4K"],
                  "n_tokens": pa.array([3, 2], pa.int32()), "cut": [False, False],
                  "input_ids": pa.array([[1, 5, 6], [1, 7]], pa.list_(pa.int32()))})
    pq.write_table(t, path / "validation" / "part-00000.parquet")
    n = pa.table({"context_length": pa.array([4], pa.int32()), "depth_percent": [50.0],
                  "input_ids": pa.array([[1, 5, 6, 7]], pa.list_(pa.int32())),
                  "needle_token_position": pa.array([2], pa.int32()), "prompt": ["x"], "question": ["q?"],
                  "question_ids": pa.array([[8]], pa.list_(pa.int32())), "answer": ["six"]})
    pq.write_table(n, path / "needle" / "part-00000.parquet")
    m = {"stage": "evalset", "complete": True, "tokenizer_sha256": "00",
         "cells": [{"domain": "CC", "length_class": "0-4K", "documents": 2, "tokens": 5, "cut_documents": 0}],
         "needle": {"context_lengths": [4], "depths_percent": [50.0], "needle": "n", "question": "q?", "answer": "six"}}
    (path / "_manifest.json").write_text(json.dumps(m))
    return m


def _rewrite(path, **changes):
    m = json.loads((path / "_manifest.json").read_text())
    m.update(changes)
    (path / "_manifest.json").write_text(json.dumps(m))


def test_a_valid_tiny_evalset_reads(tmp_path):
    _tiny_evalset(tmp_path)
    ev = Evalset(str(tmp_path))
    docs = ev.validation()
    assert len(docs) == 2 and sorted(len(docs.ids(i)) for i in range(2)) == [2, 3]
    assert len(ev.needle_rows()) == 1


@pytest.mark.parametrize(
    "change, message",
    [
        ({"stage": "pack"}, "not 'evalset'"),
        ({"complete": False}, "not marked complete"),
        ({"cells": [{"domain": "CC", "length_class": "0-4K", "documents": 3, "tokens": 5, "cut_documents": 0}]},
         "the manifest says documents/tokens/cut_documents [3, 5, 0], the Parquet files hold [2, 5, 0]"),
        ({"cells": [{"domain": "C4", "length_class": "0-4K", "documents": 0, "tokens": 0, "cut_documents": 0}]},
         "that the manifest's cells do not list"),
        ({"cells": [{"domain": "CC", "length_class": "0-4K"}]}, "lacks or mistypes"),
    ],
)
def test_validation_contract_violations_name_the_rule(tmp_path, change, message):
    _tiny_evalset(tmp_path)
    _rewrite(tmp_path, **change)
    with pytest.raises(EvalsetError, match=re.escape(message)):
        Evalset(str(tmp_path)).validation()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"context_lengths": [4, 8]}, "grid point(s) of the manifest have no prompt"),
        ({"depths_percent": [10.0]}, "a point not in the manifest's needle grid"),
        ({"answer": "!!"}, "has no word"),
    ],
)
def test_needle_contract_violations_name_the_rule(tmp_path, change, message):
    m = _tiny_evalset(tmp_path)
    _rewrite(tmp_path, needle={**m["needle"], **change})
    with pytest.raises(EvalsetError, match=re.escape(message)):
        Evalset(str(tmp_path)).needle_rows()


def test_a_column_of_another_type_is_named(tmp_path):
    _tiny_evalset(tmp_path)
    t = pq.read_table(tmp_path / "validation" / "part-00000.parquet")
    t = t.set_column(t.schema.get_field_index("input_ids"), "input_ids",
                     pa.array([[1, 5, 6], [1, 7]], pa.list_(pa.int64())))
    pq.write_table(t, tmp_path / "validation" / "part-00000.parquet")
    with pytest.raises(EvalsetError, match=r"part-00000.parquet: column 'input_ids' is list<.*int64>"):
        Evalset(str(tmp_path)).validation()


def test_no_manifest_is_not_an_evalset_and_the_cli_says_so(tmp_path, capsys):
    _tiny_evalset(tmp_path)
    shutil.move(tmp_path / "_manifest.json", tmp_path / "m.json")
    assert main(["loss", "--model", str(tmp_path), "--evalset", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    assert "has no _manifest.json" in capsys.readouterr().err
