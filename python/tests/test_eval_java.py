"""The scorer on an evalset written by the Java stage (``longmix evalset``), not by evalset_writer.

``LONGMIX_EVALSET`` names the evalset and ``LONGMIX_EVALSET_TOKENIZER`` the tokenizer.json it was
tokenized with; the JUnit test EvalsetPythonTest sets both (on the small run's tokenized data, a
3 x 3 needle grid). Without them these tests skip, saying so. They check the Java files against the
contract (every rule of longmix.eval.evalset), the needle rows against the Python ``tokenizers``
library's own encoding and decoding, and run ``loss`` and ``needle`` end to end on a tiny random
Llama with that tokenizer's vocabulary (numbers meaningless; files, shapes and coverage checked).
"""

import csv
import json
import os
import shutil

import pytest

EVALSET = os.environ.get("LONGMIX_EVALSET")
TOKENIZER = os.environ.get("LONGMIX_EVALSET_TOKENIZER")
pytestmark = pytest.mark.skipif(
    not (EVALSET and TOKENIZER),
    reason="needs LONGMIX_EVALSET and LONGMIX_EVALSET_TOKENIZER: an evalset written by longmix evalset"
    " and its tokenizer.json (EvalsetPythonTest sets them)",
)

MAX_POSITIONS = 2048


def _tokenizer():
    from tokenizers import Tokenizer

    return Tokenizer.from_file(TOKENIZER)


def _manifest():
    with open(os.path.join(EVALSET, "_manifest.json"), encoding="utf-8") as f:
        return json.load(f)


def test_the_java_evalset_meets_the_scorers_contract():
    from longmix.eval.evalset import Evalset

    ev = Evalset(EVALSET)
    docs = ev.validation()  # every rule: types, no nulls, n_tokens, unique ids, cells' counts
    rows = ev.needle_rows()  # every grid point, exact lengths, positions in range
    m = _manifest()
    assert len(docs) == sum(c["documents"] for c in m["cells"]) > 0
    assert len(rows) == len(m["needle"]["context_lengths"]) * len(m["needle"]["depths_percent"])
    assert m["tokenizer_sha256"] == ev.tokenizer_sha256
    import hashlib

    with open(TOKENIZER, "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == m["tokenizer_sha256"]


def test_needle_rows_agree_with_the_python_tokenizer():
    from longmix.eval.evalset import Evalset

    tok = _tokenizer()
    m = _manifest()["needle"]
    needle = tok.encode(m["needle"], add_special_tokens=False).ids
    question = tok.encode(m["question_prompt"].replace("{question}", m["question"]), add_special_tokens=False).ids
    head = tok.encode("a b").ids[: len(tok.encode("a b").ids) - len(tok.encode("a b", add_special_tokens=False).ids)]
    for r in Evalset(EVALSET).needle_rows():
        ids, p, n = r["input_ids"], r["needle_token_position"], r["context_length"]
        assert len(ids) == n
        assert ids[: len(head)] == head
        assert ids[p : p + len(needle)] == needle, (n, r["depth_percent"])
        assert p <= len(head) + int((n - len(head) - len(needle)) * r["depth_percent"] / 100)
        assert r["prompt"] == tok.decode(ids, skip_special_tokens=True)
        assert r["question_ids"] == question
        before = tok.decode(ids[len(head) : p])
        assert p == len(head) or before.rstrip()[-1:] in ".!?\"')]", repr(before[-40:])
    with open(os.path.join(EVALSET, "needle.jsonl"), encoding="utf-8") as f:
        lines = [json.loads(line) for line in f]
    assert [(j["context_length"], j["depth_percent"], j["input_ids"]) for j in lines] == [
        (r["context_length"], r["depth_percent"], r["input_ids"]) for r in Evalset(EVALSET).needle_rows()
    ]


def _csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    """A random LlamaForCausalLM over the evalset tokenizer's vocabulary, that tokenizer.json beside
    it byte for byte (so its sha256 is the manifest's)."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    d = str(tmp_path_factory.mktemp("model"))
    tok = _tokenizer()
    torch.manual_seed(0)
    config = transformers.LlamaConfig(vocab_size=tok.get_vocab_size(), hidden_size=32, intermediate_size=64,
                                      num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                                      max_position_embeddings=MAX_POSITIONS, bos_token_id=1, eos_token_id=2)
    transformers.LlamaForCausalLM(config).save_pretrained(d)
    shutil.copyfile(TOKENIZER, os.path.join(d, "tokenizer.json"))
    with open(os.path.join(d, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<s>", "eos_token": "</s>"}, f)
    return d


def test_loss_end_to_end_on_the_java_evalset(tiny_model, tmp_path):
    pytest.importorskip("matplotlib")
    from longmix.eval.cli import main

    out = tmp_path / "loss"
    assert main(["loss", "--model", tiny_model, "--evalset", EVALSET, "--out", str(out), "--device", "cpu",
                 "--batch-tokens", "4096"]) == 0
    m = _manifest()
    rows = {(r["domain"], r["length_class"]): r for r in _csv(out / "loss.csv")}
    assert set(rows) == {(c["domain"], c["length_class"]) for c in m["cells"]}
    for c in m["cells"]:
        r = rows[(c["domain"], c["length_class"])]
        assert int(r["documents"]) == c["documents"] and int(r["tokens"]) == c["tokens"]
        assert int(r["cut_documents"]) == c["cut_documents"]
        if c["tokens"]:
            assert 0 < float(r["loss"]) < 20, r
            assert int(r["predicted_tokens"]) == c["tokens"] - c["documents"]
    loss_json = json.load(open(out / "loss.json"))
    assert loss_json["config"]["tokenizer_check"].startswith("match")
    for name in ("table5.md", "table5.html", "documents.csv"):
        assert os.path.getsize(out / name) > 0


def test_needle_end_to_end_on_the_java_evalset(tiny_model, tmp_path):
    pytest.importorskip("matplotlib")
    from longmix.eval.cli import main

    out = tmp_path / "needle"
    assert main(["needle", "--model", tiny_model, "--evalset", EVALSET, "--out", str(out), "--device", "cpu",
                 "--max-new-tokens", "8"]) == 0
    m = _manifest()["needle"]
    grid = _csv(out / "needle_grid.csv")
    assert [(int(g["context_length"]), float(g["depth_percent"])) for g in grid] == [
        (L, float(d)) for L in m["context_lengths"] for d in m["depths_percent"]
    ]
    assert all(g["scored"] == "1" for g in grid)
    prompts = _csv(out / "needle.csv")
    assert len(prompts) == len(grid)
    for p in prompts:
        assert int(p["prompt_tokens"]) > int(p["context_length"])
        assert 0 <= float(p["rouge1_recall"]) <= 1
    for name in ("needle.json", "needle.html", "needle_recalled.png", "needle_rouge1_recall.png"):
        assert os.path.getsize(out / name) > 0
