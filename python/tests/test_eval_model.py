"""The scorer end to end on a tiny random LlamaForCausalLM (CPU): numbers meaningless, files, shapes,
coverage and the rules checked.

The evalset is written by evalset_writer in the contract's layout: 3 domains × Table 5's 2 classes,
3 documents each, the long ones (60, 150, 200 tokens) past the model's 128 positions so that
truncation happens; a needle grid of 3 context lengths × 3 depths, the longest past 128 too. The
model's vocabulary is the word-level tokenizer's, saved beside it, so decoding is real.
"""

import csv
import json
import math
import os
import shutil
import subprocess
import sys

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("matplotlib")
from transformers import LlamaConfig, LlamaForCausalLM  # noqa: E402

import evalset_writer as W  # noqa: E402
from longmix.eval import needle as needle_mod  # noqa: E402
from longmix.eval.cli import main  # noqa: E402
from longmix.eval.evalset import Evalset  # noqa: E402
from longmix.eval.loss import TokenScorer, cell_losses, score_documents  # noqa: E402
from test_eval_scoring import cell_classes  # noqa: E402

MAX_POSITIONS = 128
DOMAINS = ["RedPajamaArXiv", "RedPajamaBook", "RedPajamaC4"]
SHORT, LONG = [12, 30, 40], [60, 150, 200]
LENGTHS, DEPTHS = [48, 96, 160], [0, 50, 100]
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """(model dir with its tokenizer, evalset dir, manifest)."""
    root = tmp_path_factory.mktemp("eval")
    model_dir = str(root / "model")
    tok = W.save_tokenizer(model_dir)
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=tok.get_vocab_size(), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=MAX_POSITIONS,
                         initializer_range=0.2, bos_token_id=W.BOS, eos_token_id=W.EOS)
    LlamaForCausalLM(config).save_pretrained(model_dir)
    cells = {(d, c): (SHORT if c == "0-4K" else LONG) for d in DOMAINS for c in ("0-4K", "4K-128K")}
    ev = str(root / "EVAL")
    manifest = W.write_evalset(ev, tok, os.path.join(model_dir, "tokenizer.json"), cells=cells,
                               context_lengths=LENGTHS, depths_percent=DEPTHS, cut_at=200)
    return model_dir, ev, manifest


@pytest.fixture(scope="module")
def loss_run(tiny, tmp_path_factory):
    """The real command line, in a subprocess: loss with small batches so several documents share one."""
    model_dir, ev, _ = tiny
    out = str(tmp_path_factory.mktemp("loss") / "out")
    p = subprocess.run([sys.executable, "-m", "longmix.eval", "loss", "--model", model_dir, "--evalset", ev,
                        "--out", out, "--batch-tokens", "300", "--device", "cpu", "--logits-chunk", "64"],
                       capture_output=True, text=True, timeout=300, cwd=REPO)
    print(p.stdout, p.stderr)
    assert p.returncode == 0, p.stderr
    return out


def _csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_loss_cli_writes_every_cell_finite_in_table_5s_shape(tiny, loss_run):
    _, _, manifest = tiny
    for name in ("loss.csv", "loss.json", "documents.csv", "table5.md", "table5.html"):
        assert os.path.getsize(os.path.join(loss_run, name)) > 0, name
    rows = {(r["domain"], r["length_class"]): r for r in _csv(os.path.join(loss_run, "loss.csv"))}
    assert set(rows) == {(c["domain"], c["length_class"]) for c in manifest["cells"]}
    for (d, c), r in rows.items():
        lengths = SHORT if c == "0-4K" else LONG
        assert math.isfinite(float(r["loss"])) and float(r["loss"]) > 0
        assert int(r["predicted_tokens"]) == sum(min(n, MAX_POSITIONS) - 1 for n in lengths)
        assert int(r["truncated_documents"]) == sum(n > MAX_POSITIONS for n in lengths)
        assert int(r["unscored_tokens"]) == sum(max(0, n - MAX_POSITIONS) for n in lengths)
        assert int(r["cut_documents"]) == sum(n == 200 for n in lengths)
    table = [line for line in open(os.path.join(loss_run, "table5.md")) if line.startswith("| ")]
    assert table[0].strip() == "| domain | 0-4K | 4K-128K |"
    assert [line.split("|")[1].strip() for line in table[1:]] == DOMAINS + ["mean of domains", "all tokens"]
    assert all(len(line.strip().strip("|").split("|")) == 3 for line in table)
    j = json.load(open(os.path.join(loss_run, "loss.json")))
    assert j["config"]["max_tokens"] == MAX_POSITIONS and "no sliding window" in j["config"]["truncation"]
    assert j["config"]["tokenizer_check"].startswith("match")
    assert set(j["table"]) == set(DOMAINS) | {"mean of domains", "all tokens"}
    assert len(_csv(os.path.join(loss_run, "documents.csv"))) == len(DOMAINS) * 6


def test_loss_is_each_documents_own_loss_run_alone(tiny, loss_run):
    """The oracle: the model's own labels=ids loss per (truncated) document, token-weighted per cell.
    Both logits paths (sliced head and plain forward) and the batched CLI run must give it."""
    model_dir, ev, _ = tiny
    model = LlamaForCausalLM.from_pretrained(model_dir).eval()
    docs = Evalset(ev).validation()
    want = {}
    for i in range(len(docs)):
        ids = torch.tensor(docs.ids(i)[:MAX_POSITIONS], dtype=torch.long)[None]
        with torch.no_grad():
            loss = model(input_ids=ids, labels=ids, use_cache=False).loss.item()
        acc = want.setdefault((docs.domain[i], docs.length_class[i]), [0.0, 0])
        acc[0] += loss * (ids.shape[1] - 1)
        acc[1] += ids.shape[1] - 1
    cli = {(r["domain"], r["length_class"]): float(r["loss"]) for r in _csv(os.path.join(loss_run, "loss.csv"))}
    for sliced in (True, False):
        scorer = TokenScorer(model, torch.device("cpu"), logits_chunk=50)
        if not sliced:
            scorer.sliced = False
        rows = cell_losses(docs, *score_documents(scorer, docs, MAX_POSITIONS, 400, log=None), MAX_POSITIONS)
        assert scorer.sliced is sliced
        for r in rows:
            key = (r["domain"], r["length_class"])
            expected = want[key][0] / want[key][1]
            assert r["loss"] == pytest.approx(expected, abs=1e-4), (key, sliced)
            assert cli[key] == pytest.approx(expected, abs=1e-4), key


def test_loss_with_a_baseline_shades_known_differences(tiny, loss_run, tmp_path):
    model_dir, ev, _ = tiny
    deltas = [0.005, 0.05, -0.05]  # model - baseline: not significant, worse, better
    rows = _csv(os.path.join(loss_run, "loss.csv"))
    expected = {}
    with open(tmp_path / "baseline.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["domain", "length_class", "loss"])
        for k, r in enumerate(rows):
            delta = deltas[k % 3]
            w.writerow([r["domain"], r["length_class"], repr(float(r["loss"]) - delta)])
            expected[(r["domain"], r["length_class"])] = {0.005: "neutral", 0.05: "worse", -0.05: "better"}[delta]
    out = tmp_path / "out"
    assert main(["loss", "--model", model_dir, "--evalset", ev, "--out", str(out), "--device", "cpu",
                 "--baseline", str(tmp_path / "baseline.csv")]) == 0
    got = cell_classes((out / "diff.html").read_text())
    assert {k: v for k, v in got.items() if k[0] in DOMAINS} == expected
    diff = {(r["domain"], r["length_class"]): float(r["delta"]) for r in _csv(out / "diff.csv") if r["domain"] in DOMAINS}
    for k, r in enumerate(rows):
        # 1e-6: this run batches differently from loss_run (default --batch-tokens), moving the last bits
        assert diff[(r["domain"], r["length_class"])] == pytest.approx(deltas[k % 3], abs=1e-6)


def _oracle_words(text):
    return "".join(ch if ch.isalnum() else " " for ch in text.casefold()).split()


def _check_needle_outputs(out, manifest):
    for name in ("needle.csv", "needle_grid.csv", "needle.json", "needle.html", "needle_recalled.png",
                 "needle_rouge1_recall.png"):
        assert os.path.getsize(os.path.join(out, name)) > 0, name
    import matplotlib.image

    for metric in ("recalled", "rouge1_recall"):
        img = matplotlib.image.imread(os.path.join(out, f"needle_{metric}.png"))
        assert img.ndim == 3 and img.shape[0] > 100 and img.shape[1] > 100
    grid = _csv(os.path.join(out, "needle_grid.csv"))
    points = [(int(g["context_length"]), float(g["depth_percent"])) for g in grid]
    assert points == [(L, float(d)) for L in manifest["needle"]["context_lengths"]
                      for d in manifest["needle"]["depths_percent"]]
    page = open(os.path.join(out, "needle.html")).read()
    assert page.count("<td class=\"score") == 2 * len(points)
    j = json.load(open(os.path.join(out, "needle.json")))
    assert [len(row) for row in j["grid"]["recalled"]] == [len(LENGTHS)] * len(DEPTHS)
    return grid, _csv(os.path.join(out, "needle.csv")), j


def test_needle_on_a_random_model_scores_every_point_by_the_rule(tiny, tmp_path):
    model_dir, ev, manifest = tiny
    out = str(tmp_path / "needle")
    assert main(["needle", "--model", model_dir, "--evalset", ev, "--out", out, "--device", "cpu",
                 "--max-new-tokens", "12", "--batch-size", "2"]) == 0
    grid, prompts, _ = _check_needle_outputs(out, manifest)
    assert all(g["scored"] == "1" for g in grid)
    answer = _oracle_words(W.ANSWER)
    for p in prompts:
        got = _oracle_words(p["output"])
        assert float(p["recalled"]) == float(" ".join(answer) in " ".join(got) and bool(got))
        clipped = sum(min(answer.count(w), got.count(w)) for w in set(answer))
        assert float(p["rouge1_recall"]) == pytest.approx(clipped / len(answer))
        assert int(p["output_tokens"]) <= 12
        assert (p["beyond_max_positions"] == "True") == (int(p["prompt_tokens"]) + 12 > MAX_POSITIONS)
    assert {p["context_length"] for p in prompts if p["beyond_max_positions"] == "True"} == {"96", "160"}  # 96+23+12
    assert not any(float(p["recalled"]) for p in prompts), "a random model does not recite the answer"


def test_a_model_that_answers_scores_one_and_skipped_lengths_stay_unscored(tiny, tmp_path, monkeypatch):
    model_dir, ev, manifest = tiny
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    said = tok.encode("Answer : " + W.ANSWER + " .", add_special_tokens=False).ids
    calls = []

    def answers(model, prompts, max_new_tokens, eos, pad):
        calls.append(prompts.shape)
        return [said for _ in range(prompts.shape[0])]

    monkeypatch.setattr(needle_mod, "greedy_generate", answers)
    out = str(tmp_path / "needle")
    assert main(["needle", "--model", model_dir, "--evalset", ev, "--out", out, "--device", "cpu",
                 "--max-context-length", "96"]) == 0
    grid, prompts, j = _check_needle_outputs(out, manifest)
    for g in grid:
        if int(g["context_length"]) <= 96:
            assert (g["scored"], float(g["recalled"]), float(g["rouge1_recall"])) == ("1", 1.0, 1.0)
        else:
            assert (g["scored"], g["recalled"], g["rouge1_recall"]) == ("0", "", "")
    assert j["mean"] == {"recalled": 1.0, "rouge1_recall": 1.0}
    assert len(calls) == 6 and all(s[1] == L + len(W.needle_row(tok, L, 0)["question_ids"]) for s, L in
                                   zip(calls, [96] * 3 + [48] * 3))


def test_help_states_batching_truncation_and_what_loss_means(capsys):
    for command in ("loss", "needle"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for phrase in ("token-weighted mean next-token negative log-likelihood in nats", "is TRUNCATED to its first",
                   "no sliding window", "never split into chunks", "rows x longest <= --batch-tokens",
                   "prompts are never truncated or padded", "greedily (no sampling, one beam)",
                   "--batch-size prompts of the same token count"):
        assert phrase in text, phrase


def test_another_tokenizer_stops_the_run_before_the_model_loads(tiny, tmp_path, capsys):
    model_dir, ev, _ = tiny
    other = tmp_path / "EVAL"
    shutil.copytree(ev, other)
    m = json.loads((other / "_manifest.json").read_text())
    m["tokenizer_sha256"] = "0" * 64
    (other / "_manifest.json").write_text(json.dumps(m))
    assert main(["loss", "--model", model_dir, "--evalset", str(other), "--out", str(tmp_path / "o")]) == 2
    assert "--allow-tokenizer-mismatch" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
