"""Writes small evalsets in the layout of docs/evaluation.md with pyarrow, and the word-level tokenizer
they are tokenized with, so the scorer's tests need neither Java nor a downloaded tokenizer.

The layout is the evalset stage's contract: ``_manifest.json`` written last (``stage``, ``complete``,
``tokenizer_sha256``, ``cells``, ``needle``), ``validation/part-*.parquet`` (one document per row),
``needle/part-*.parquet`` (one prompt per row) and ``needle.jsonl``. Texts are sentences of a fixed
word list; the needle goes in on a sentence boundary (after a ``.``) at its depth, as the authors'
script places it.
"""

import hashlib
import json
import os
import random

import pyarrow as pa
import pyarrow.parquet as pq

NEEDLE = "The best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a sunny day."
QUESTION = "What is the best thing to do in San Francisco?"
ANSWER = "eat a sandwich and sit in Dolores Park on a sunny day"
QUESTION_PROMPT = " Based on the content of the book, Question: " + QUESTION + " Answer:"
FILLER = (
    "essay startup founder money work idea people company users product year time market investors "
    "program language write code hacker school think good great small big new old first last many "
    "most some often never always because when where while though yet still even very"
).split()
SPECIALS = ["<unk>", "<s>", "</s>"]
BOS, EOS = 1, 2


def _ids():
    return pa.list_(pa.field("element", pa.int32(), False))


VALIDATION_SCHEMA = pa.schema(
    [
        pa.field("doc_id", pa.int64(), False),
        pa.field("domain", pa.string(), False),
        pa.field("length_class", pa.string(), False),
        pa.field("n_tokens", pa.int32(), False),
        pa.field("cut", pa.bool_(), False),
        pa.field("input_ids", _ids(), False),
    ]
)
NEEDLE_SCHEMA = pa.schema(
    [
        pa.field("context_length", pa.int32(), False),
        pa.field("depth_percent", pa.float64(), False),
        pa.field("input_ids", _ids(), False),
        pa.field("needle_token_position", pa.int32(), False),
        pa.field("prompt", pa.string(), False),
        pa.field("question", pa.string(), False),
        pa.field("question_ids", _ids(), False),
        pa.field("answer", pa.string(), False),
    ]
)


def save_tokenizer(model_dir):
    """A word-level tokenizer over the needle's, question's and filler words, BOS added, saved with
    ``save_pretrained``; returns the ``tokenizers.Tokenizer`` read back from its tokenizer.json."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    words = []
    for w in SPECIALS + (NEEDLE + " " + QUESTION_PROMPT).replace(".", " . ").replace("?", " ? ").replace(
        ",", " , "
    ).replace(":", " : ").split() + FILLER:
        if w not in words:
            words.append(w)
    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", BOS)])
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>")
    fast.save_pretrained(model_dir)
    return Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))


def _sentence_ids(tok, rnd):
    text = " ".join(rnd.choice(FILLER) for _ in range(rnd.randint(4, 10))) + " ."
    return tok.encode(text, add_special_tokens=False).ids


def haystack(tok, n, seed):
    """At least ``n`` ids of filler sentences, each ending with ``.``."""
    rnd = random.Random(seed)
    ids = []
    while len(ids) < n:
        ids += _sentence_ids(tok, rnd)
    return ids


def document(tok, n, seed):
    """``[BOS]`` + filler sentences, exactly ``n`` tokens."""
    return [BOS] + haystack(tok, n, seed)[: n - 1]


def needle_row(tok, context_length, depth_percent, seed=0):
    """One prompt of exactly ``context_length`` ids: BOS, haystack, the needle after a sentence's end."""
    needle = tok.encode(NEEDLE, add_special_tokens=False).ids
    period = tok.token_to_id(".")
    body = haystack(tok, context_length, seed)[: context_length - 1 - len(needle)]
    at = len(body) if depth_percent >= 100 else int(len(body) * depth_percent / 100)
    while at > 0 and body[at - 1] != period:
        at -= 1
    ids = [BOS] + body[:at] + needle + body[at:]
    assert len(ids) == context_length
    return {
        "context_length": context_length,
        "depth_percent": float(depth_percent),
        "input_ids": ids,
        "needle_token_position": 1 + at,
        "prompt": tok.decode(ids, skip_special_tokens=True),
        "question": QUESTION,
        "question_ids": tok.encode(QUESTION_PROMPT, add_special_tokens=False).ids,
        "answer": ANSWER,
    }


def write_evalset(out, tok, tokenizer_json, *, cells, context_lengths, depths_percent, cut_at=None, files=2):
    """An evalset at ``out``. ``cells`` maps (domain, length_class) to the documents' lengths; a
    length equal to ``cut_at`` is marked ``cut``. Returns the manifest."""
    os.makedirs(os.path.join(out, "validation"))
    os.makedirs(os.path.join(out, "needle"))
    docs, manifest_cells, doc_id = [], [], 100
    for (domain, cls), lengths in cells.items():
        for n in lengths:
            docs.append({"doc_id": doc_id, "domain": domain, "length_class": cls, "n_tokens": n,
                         "cut": cut_at is not None and n == cut_at, "input_ids": document(tok, n, seed=doc_id)})
            doc_id += 1
        manifest_cells.append({"domain": domain, "length_class": cls, "documents": len(lengths),
                               "tokens": sum(lengths), "cut_documents": sum(1 for n in lengths if n == cut_at)})
    random.Random(7).shuffle(docs)
    for k in range(files):
        part = docs[k::files]
        pq.write_table(pa.Table.from_pylist(part, schema=VALIDATION_SCHEMA),
                       os.path.join(out, "validation", f"part-{k:05d}.parquet"))
    rows = [needle_row(tok, L, d, seed=L) for L in context_lengths for d in depths_percent]
    pq.write_table(pa.Table.from_pylist(rows, schema=NEEDLE_SCHEMA), os.path.join(out, "needle", "part-00000.parquet"))
    with open(os.path.join(out, "needle.jsonl"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    with open(tokenizer_json, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    manifest = {
        "stage": "evalset",
        "complete": True,
        "tokenizer_sha256": sha,
        "cells": manifest_cells,
        "needle": {"context_lengths": list(context_lengths), "depths_percent": [float(d) for d in depths_percent],
                   "needle": NEEDLE, "question": QUESTION, "answer": ANSWER},
    }
    with open(os.path.join(out, "_manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
    return manifest
