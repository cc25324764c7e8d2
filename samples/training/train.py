"""GPU step: golden check, then train the Hymba-mini family and export each model in the HF layout.

usage: python3 train.py --work WORK --golden G1,G2 --out OUT [--models a,b,c] [--total-seconds S | --steps N]
                        [--eval EVAL_DIR] [--prompt FILE] [--resume]
  WORK    output of prepare.py (tokenizer/, train.npy, valid.npy, filler.txt, lists.json); checkpoints go to WORK/ckpt
  G1,G2   golden folders (config.json, model.safetensors, input_ids.npy, logits.npy); training refuses to start
          unless hymba.py reproduces their logits within 1e-4 * max|logit|
  --steps fixes the step count of every model (exact reproduction); otherwise each model gets an equal share of
          --total-seconds and its step count is derived from a timed probe (recorded in train_state.json)
Writes OUT/NAME/{config.json, model.safetensors, input_ids.npy, logits.npy, loss.csv, train_state.json, eval.json}.
"""
import argparse
import hashlib
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from tokenizers import Tokenizer

import golden_check
from data import task_row
from hymba import HymbaConfig, HymbaForCausalLM, load_pretrained, save_pretrained

SEQ = int(os.environ.get("HYMBA_SEQ", 512))   # tokens per training row, BOS included (smaller only for dry runs)
BATCH = 16
PEAK_LR, MIN_LR, WARMUP = 2e-3, 2e-4, 60
LIMIT = int(os.environ.get("HYMBA_EVAL_LIMIT", "100000"))   # smaller only for CPU dry runs
BATCH = int(os.environ.get("HYMBA_BATCH", BATCH))


def base_config(name: str) -> HymbaConfig:
    """The 1.5B design scaled down: 8 layers, global = first/middle/last, KV shared by neighbouring local layers."""
    cfg = HymbaConfig(
        vocab_size=4096, hidden_size=192, num_hidden_layers=8, num_attention_heads=6, num_key_value_heads=2,
        intermediate_size=512, num_memory_tokens=16, sliding_window=64, global_attn_idx=[0, 3, 7],
        kv_reuse_group=[[1, 2], [4, 5, 6]], mamba_d_state=16, mamba_d_conv=4, mamba_expand=2,
        max_position_embeddings=4096, orig_max_position_embeddings=1024, seq_length=4096)
    if name == "hymba-mini-stacked":
        cfg.fusion_mode = "stacked_attn_first"
    elif name == "hymba-mini-nometa":
        cfg.num_memory_tokens = 0
    elif name != "hymba-mini":
        raise ValueError(f"unknown model {name}")
    return cfg


SEEDS = {"hymba-mini": 11, "hymba-mini-stacked": 12, "hymba-mini-nometa": 13}
DATA_SEED = 7   # the same data order for every model


class Batches:
    """Deterministic batches: half Brown windows (train split), half rows of generated tasks."""

    def __init__(self, work, tok, n_task_rows, seed):
        self.train = np.load(os.path.join(work, "train.npy")).astype(np.int64)
        with open(os.path.join(work, "lists.json")) as f:
            lists = json.load(f)
        with open(os.path.join(work, "filler.txt")) as f:
            filler = [line.rstrip("\n") for line in f if line.strip()]
        rng = random.Random(seed)
        texts = [task_row(rng, lists, filler) for _ in range(n_task_rows)]
        rows = []
        for enc in tok.encode_batch(texts, add_special_tokens=True):
            ids = enc.ids[:SEQ]
            if len(ids) < SEQ:
                raise RuntimeError(f"task row too short: {len(ids)} tokens")
            rows.append(ids)
        self.tasks = np.asarray(rows, dtype=np.int64)
        self.seed = seed

    def get(self, step: int) -> torch.Tensor:
        g = np.random.default_rng([self.seed, step])
        half = BATCH // 2
        starts = g.integers(0, len(self.train) - SEQ, size=half)
        brown = np.stack([np.concatenate(([1], self.train[s:s + SEQ - 1])) for s in starts])
        tasks = self.tasks[g.integers(0, len(self.tasks), size=BATCH - half)]
        return torch.from_numpy(np.concatenate((brown, tasks)))


def lr_at(step, total):
    if step < WARMUP:
        return PEAK_LR * (step + 1) / WARMUP
    p = (step - WARMUP) / max(1, total - WARMUP)
    return MIN_LR + 0.5 * (PEAK_LR - MIN_LR) * (1 + math.cos(math.pi * min(1.0, p)))


def make_model(cfg, seed, device):
    model = HymbaForCausalLM(cfg)
    model.init_weights(seed)
    return model.to(device)


def make_opt(model):
    decay, no_decay = [], []
    for n, p in model.named_parameters():
        (decay if p.ndim >= 2 and "A_log" not in n and "memory_tokens" not in n else no_decay).append(p)
    return torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                             lr=PEAK_LR, betas=(0.9, 0.95), eps=1e-8, fused=torch.cuda.is_available())


def loss_of(model, ids):
    logits = model(ids[:, :-1], use_ckpt=True)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1))


def step_fn(model, opt, ids, lr):
    for gr in opt.param_groups:
        gr["lr"] = lr
    loss = loss_of(model, ids)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    return loss


@torch.no_grad()
def val_loss(model, valid, device, n=32):
    g = np.random.default_rng(99)
    starts = g.integers(0, len(valid) - SEQ, size=n)
    ids = torch.from_numpy(np.stack([np.concatenate(([1], valid[s:s + SEQ - 1])) for s in starts])).to(device)
    model.eval()
    tot = 0.0
    for i in range(0, n, 16):
        logits = model(ids[i:i + 16, :-1])
        tot += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), ids[i:i + 16, 1:].reshape(-1)).item() * 16
    model.train()
    return tot / n


def probe_step_time(cfg, batches, device, n=8):
    model = make_model(cfg, 0, device)
    opt = make_opt(model)
    ids = batches.get(0).to(device)
    for i in range(3):
        step_fn(model, opt, ids, 1e-4)
    torch.cuda.synchronize() if device == "cuda" else None
    t = time.time()
    for i in range(n):
        step_fn(model, opt, ids, 1e-4)
    torch.cuda.synchronize() if device == "cuda" else None
    return (time.time() - t) / n


def train_one(name, args, batches, valid, device, budget_s):
    cfg = base_config(name)
    seed = SEEDS[name]
    ck_path = os.path.join(args.work, "ckpt", f"{name}.pt")
    state = None
    if args.resume and os.path.exists(ck_path):
        state = torch.load(ck_path, map_location="cpu", weights_only=False)
    if state is not None:
        total = state["total_steps"]
        step_s = state.get("probe_step_s")
    elif args.steps:
        total, step_s = args.steps, None
    else:
        step_s = probe_step_time(cfg, batches, device)
        total = max(100, int(budget_s / step_s) // 50 * 50)
    print(f"[{name}] total steps {total} (probe {step_s} s/step)", flush=True)
    torch.manual_seed(seed)
    model = make_model(cfg, seed, device)
    opt = make_opt(model)
    start, log = 0, []
    if state is not None:
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        start, log = state["step"], state["log"]
        print(f"[{name}] resumed at step {start}", flush=True)
    model.train()
    t0 = time.time()
    run_loss = None
    for step in range(start, total):
        ids = batches.get(step).to(device, non_blocking=True)
        loss = step_fn(model, opt, ids, lr_at(step, total))
        if step % 10 == 0 or step == total - 1:
            lv = loss.item()
            run_loss = lv if run_loss is None else 0.9 * run_loss + 0.1 * lv
            row = {"step": step, "loss": lv, "lr": lr_at(step, total)}
            if step % 100 == 0 or step == total - 1:
                row["val_loss"] = val_loss(model, valid, device)
                print(f"[{name}] step {step} loss {lv:.4f} val {row['val_loss']:.4f} "
                      f"{time.time() - t0:.0f}s", flush=True)
            log.append(row)
        stopping = args.stop_after and step + 1 == args.stop_after
        if ((step + 1) % args.ckpt_every == 0 and step + 1 < total) or stopping:
            os.makedirs(os.path.dirname(ck_path), exist_ok=True)
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step + 1, "log": log,
                        "total_steps": total, "probe_step_s": step_s}, ck_path)
        if stopping:
            sys.exit(f"[{name}] stopped after step {step + 1} (--stop-after); continue with --resume")
    train_s = time.time() - t0
    return cfg, model, log, {"name": name, "seed": seed, "data_seed": DATA_SEED, "total_steps": total,
                              "batch": BATCH, "seq_len": SEQ, "tokens_seen": total * BATCH * SEQ,
                              "peak_lr": PEAK_LR, "min_lr": MIN_LR, "warmup": WARMUP, "optimizer":
                              "AdamW(0.9,0.95) wd 0.1 (matrices), clip 1.0, cosine", "probe_step_s": step_s,
                              "train_seconds": round(train_s, 1), "device": torch.cuda.get_device_name()
                              if device == "cuda" else "cpu", "torch": torch.__version__}


@torch.no_grad()
def evaluate(model, eval_dir, device):
    """Held-out ppl and exact-match accuracy (all target tokens argmax-correct under teacher forcing)."""
    out = {}
    model.eval()
    with open(os.path.join(eval_dir, "ppl.jsonl")) as f:
        recs = [json.loads(line) for line in f][:LIMIT]
    ids = torch.tensor([r["ids"] for r in recs], device=device)
    nll = 0.0
    for i in range(0, len(ids), 25):
        lg = model(ids[i:i + 25, :-1])
        nll += F.cross_entropy(lg.reshape(-1, lg.shape[-1]), ids[i:i + 25, 1:].reshape(-1), reduction="sum").item()
    out["ppl"] = math.exp(nll / (ids.shape[0] * (ids.shape[1] - 1)))
    for task in ("recall", "long-recall", "copy"):
        out[task] = evaluate_task(model, eval_dir, task, device)
    model.train()
    return out


def export(name, cfg, model, log, meta, args, tok, device):
    folder = os.path.join(args.out, name)
    save_pretrained(model, folder)
    with open(os.path.join(folder, "loss.csv"), "w") as f:
        f.write("step,train_loss,lr,val_loss\n")
        for r in log:
            f.write(f"{r['step']},{r['loss']:.5f},{r['lr']:.6g},{r.get('val_loss', '') and round(r['val_loss'], 5)}\n")
    # reference logits of the exported BF16 weights, computed in fp32 without TF32
    ref = load_pretrained(folder, device=device, dtype=torch.float32).eval()
    with open(args.prompt) as f:
        prompt = f.read().strip()
    ids = np.asarray(tok.encode(prompt).ids, dtype=np.int32)
    with torch.no_grad():
        logits = ref(torch.from_numpy(ids.astype(np.int64))[None].to(device))[0].cpu().numpy().astype(np.float32)
    np.save(os.path.join(folder, "input_ids.npy"), ids)
    np.save(os.path.join(folder, "logits.npy"), logits)
    ev = {}
    if args.eval:
        ev = evaluate(ref, args.eval, device)
        # design question: the three global layers made local (sliding window) on long-range recall
        ref.cfg.global_attn_idx = []
        ev["long-recall_all_local"] = evaluate_task(ref, args.eval, "long-recall", device)
        ref.cfg.global_attn_idx = list(cfg.global_attn_idx)
    meta["eval"] = ev
    meta["params"] = sum(p.numel() for p in model.parameters())
    meta["fp32_sha256"] = weights_digest(model)
    meta["final_train_loss"] = log[-1]["loss"]
    meta["final_val_loss"] = log[-1].get("val_loss")
    meta["prompt"] = prompt
    with open(os.path.join(folder, "train_state.json"), "w") as f:
        json.dump(meta, f, indent=2)
    print(f"[{name}] exported: {json.dumps(meta)}", flush=True)
    return folder


def weights_digest(model) -> str:
    """SHA-256 of the trained fp32 weights (before the BF16 export, which would hide small differences)."""
    h = hashlib.sha256()
    for k, v in sorted(model.state_dict().items()):
        h.update(k.encode())
        h.update(v.detach().float().cpu().numpy().tobytes())
    return h.hexdigest()


@torch.no_grad()
def evaluate_task(model, eval_dir, task, device):
    with open(os.path.join(eval_dir, f"{task}.jsonl")) as f:
        recs = [json.loads(line) for line in f][:LIMIT]
    correct = 0
    for i in range(0, len(recs), 50):
        chunk = recs[i:i + 50]
        seqs = [r["prompt_ids"] + r["target_ids"] for r in chunk]
        L = max(len(s) for s in seqs)
        pred = model(torch.tensor([s + [0] * (L - len(s)) for s in seqs], device=device)).argmax(-1).cpu()
        for j, r in enumerate(chunk):
            p, t = len(r["prompt_ids"]), r["target_ids"]
            correct += int(pred[j, p - 1:p - 1 + len(t)].tolist() == t)
    return correct / len(recs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--golden", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--models", default="hymba-mini,hymba-mini-stacked,hymba-mini-nometa")
    ap.add_argument("--total-seconds", type=float, default=450)
    ap.add_argument("--steps", type=int, default=0)
    ap.add_argument("--eval", default="")
    ap.add_argument("--prompt", required=True)
    ap.add_argument("--task-rows", type=int, default=6000)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--ckpt-every", type=int, default=250, help="steps between resumable checkpoints (WORK/ckpt)")
    ap.add_argument("--stop-after", type=int, default=0, help="checkpoint and exit after this step (a preemption)")
    ap.add_argument("--deterministic", action="store_true",
                    help="bit-reproducible CUDA kernels and no TF32 (slower); without it reruns agree only closely")
    ap.add_argument("--after-model", default="", help="shell command run after each export (e.g. tar to $OUT)")
    args = ap.parse_args()
    t_start = time.time()
    device = "cuda" if torch.cuda.is_available() else "cpu"

    report, ok = golden_check.main([p for p in args.golden.split(",") if p])
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "golden_check.json"), "w") as f:
        json.dump(report, f, indent=2)
    if not ok:
        sys.exit("golden check failed: refusing to train")

    if args.deterministic:
        # atomics in embedding/scatter backward and cuBLAS split-K otherwise reorder float sums between runs
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True)
    tf32 = not args.deterministic
    torch.backends.cuda.matmul.allow_tf32 = tf32     # training only; exports and checks run without TF32
    torch.backends.cudnn.allow_tf32 = tf32
    tok = Tokenizer.from_file(os.path.join(args.work, "tokenizer", "tokenizer.json"))
    batches = Batches(args.work, tok, args.task_rows, DATA_SEED)
    valid = np.load(os.path.join(args.work, "valid.npy")).astype(np.int64)
    names = [n for n in args.models.split(",") if n]
    print(f"data ready after {time.time() - t_start:.1f}s: {len(batches.tasks)} task rows", flush=True)
    for i, name in enumerate(names):
        left = args.total_seconds - (time.time() - t_start)
        budget = left / (len(names) - i) - 18     # keep ~18 s per model for probe, eval and export
        cfg, model, log, meta = train_one(name, args, batches, valid, device, budget)
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        export(name, cfg, model, log, meta, args, tok, device)
        torch.backends.cuda.matmul.allow_tf32 = tf32
        torch.backends.cudnn.allow_tf32 = tf32
        if args.after_model:
            os.system(args.after_model.replace("{name}", name))
        del model
        torch.cuda.empty_cache() if device == "cuda" else None
    print(f"all done in {time.time() - t_start:.0f}s", flush=True)


if __name__ == "__main__":
    main()
