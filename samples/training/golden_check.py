"""Checks that hymba.py reproduces the golden logits of the released reference (tiny-a, tiny-b).

usage: python3 golden_check.py DIR [DIR ...]   (each DIR holds config.json, model.safetensors, input_ids.npy, logits.npy)
Exits non-zero unless max|diff| <= 1e-4 * max|logit| for every set. Also checks the parallel scan against the loop.
"""
import json
import sys

import numpy as np
import torch

from hymba import load_pretrained, selective_scan, selective_scan_chunked, selective_scan_loop


def check_scan(device) -> float:
    g = torch.Generator().manual_seed(0)
    a = torch.rand(2, 37, 5, 3, generator=g).to(device)
    b = torch.randn(2, 37, 5, 3, generator=g).to(device)
    ref = selective_scan_loop(a, b)
    return max((selective_scan(a, b) - ref).abs().max().item(), (selective_scan_chunked(a, b) - ref).abs().max().item(),
               (selective_scan_chunked(a, b, 4) - ref).abs().max().item())


def check(folder: str, device) -> dict:
    model = load_pretrained(folder, device=device, dtype=torch.float32).eval()
    ids = torch.from_numpy(np.load(f"{folder}/input_ids.npy").astype(np.int64))[None].to(device)
    ref = np.load(f"{folder}/logits.npy")
    with torch.no_grad():
        out = model(ids)[0].cpu().numpy()
    diff = float(np.abs(out - ref).max())
    scale = float(np.abs(ref).max())
    agree = float((out.argmax(-1) == ref.argmax(-1)).mean())
    return {"set": folder, "max_abs_diff": diff, "max_abs_logit": scale, "rel": diff / scale,
            "argmax_agree": agree, "ok": diff <= 1e-4 * scale}


def main(argv):
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    device = "cuda" if torch.cuda.is_available() else "cpu"
    scan_err = check_scan(device)
    results = [check(f, device) for f in argv]
    report = {"device": device, "torch": torch.__version__, "scan_vs_loop_max_abs": scan_err, "sets": results}
    print(json.dumps(report, indent=2))
    ok = scan_err < 1e-5 and all(r["ok"] for r in results)
    if not ok:
        print("GOLDEN CHECK FAILED", file=sys.stderr)
    return report, ok


if __name__ == "__main__":
    _, ok = main(sys.argv[1:])
    sys.exit(0 if ok else 1)
