"""Loading the Hugging Face causal LM and tokenizer under test, and what the scorer reads off them."""

from __future__ import annotations

import hashlib
import os

import torch

from .evalset import ScorerError

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


def resolve_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ScorerError(f"--device {name}: this torch ({torch.__version__}) sees no CUDA device; use --device cpu")
    return torch.device(name)


def resolve_dtype(name: str, device: torch.device) -> torch.dtype:
    """``auto`` is bfloat16 on CUDA and float32 on CPU."""
    if name == "auto":
        return torch.bfloat16 if device.type == "cuda" else torch.float32
    return DTYPES[name]


def load_model(path: str, device: torch.device, dtype: torch.dtype, attn: str):
    from transformers import AutoModelForCausalLM

    kwargs = {"dtype": dtype}
    if attn != "auto":
        kwargs["attn_implementation"] = attn
    model = AutoModelForCausalLM.from_pretrained(path, **kwargs)
    return model.to(device).eval()


def load_tokenizer(path: str):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(path)


def max_positions(config):
    """The model's ``max_position_embeddings`` (of its text config where it has one), or None."""
    for c in (config, getattr(config, "text_config", None)):
        n = getattr(c, "max_position_embeddings", None) if c is not None else None
        if isinstance(n, int) and n > 0:
            return n
    return None


def vocab_size(model) -> int:
    return int(model.get_input_embeddings().num_embeddings)


def tokenizer_sha256(path: str):
    """Hex SHA-256 of ``path/tokenizer.json`` (what evalset manifests record), or None when absent."""
    f = os.path.join(path, "tokenizer.json")
    if not os.path.isfile(f):
        return None
    with open(f, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def check_tokenizer(manifest_sha: str, tokenizer_path: str, allow_mismatch: bool, warn) -> str:
    """Holds the tokenizer the model is scored with to the one the evalset was tokenized with.

    Returns what was found, for the run's configuration. A mismatch is an error unless allowed:
    ids from one tokenizer scored by a model of another give a loss that means nothing.
    """
    mine = tokenizer_sha256(tokenizer_path)
    if manifest_sha is None:
        warn("the evalset's manifest records no tokenizer_sha256; the tokenizer is not checked")
        return "unchecked: no tokenizer_sha256 in the manifest"
    if mine is None:
        warn(f"{tokenizer_path} has no tokenizer.json; the tokenizer is not checked against the evalset's")
        return "unchecked: no tokenizer.json"
    if mine != manifest_sha:
        msg = (
            f"{tokenizer_path}/tokenizer.json has sha256 {mine}, the evalset was tokenized with"
            f" {manifest_sha}; pass --tokenizer with the evalset's tokenizer, or --allow-tokenizer-mismatch"
            " if the two are known to give the same ids"
        )
        if not allow_mismatch:
            raise ScorerError(msg)
        warn(msg)
        return f"mismatch allowed: {mine}"
    return f"match: {mine}"
