"""A small, self-contained PyTorch Hymba written from ../shared/docs/hymba-architecture.md §3.

It reads and writes the Hugging Face checkpoint layout of §2 (tensor names, in_proj row blocks, tied lm_head) and
adds one documented config field, ``fusion_mode``:

* ``"fused"`` (default, the released model): x + W_out·((RMSNorm(a;β1) + RMSNorm(m;β2))/2), then the MLP.
* ``"stacked_attn_first"``: with A(x) = W_out·(RMSNorm(a;β1)/2) and S(x) = W_out·(RMSNorm(m;β2)/2), both computed
  from RMSNorm(x; input_layernorm) and in_proj, the layer is x1 = x + A(x), x2 = x1 + S(x1), then the MLP.
  Attention K/V that a layer produces for KV-sharing consumers come from the layer input x (as in fused mode).

Batch-first tensors [B, T, ...]. The SSM scan is a Hillis–Steele parallel prefix over time of the affine maps
s -> a·s + b (a = exp(Δ·A) in (0, 1], so no overflow), which equals the sequential recurrence of §3.2.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, asdict
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.utils.checkpoint as ckpt

FUSION_MODES = ("fused", "stacked_attn_first")


@dataclass
class HymbaConfig:
    vocab_size: int
    hidden_size: int
    num_hidden_layers: int
    num_attention_heads: int
    num_key_value_heads: int
    intermediate_size: int
    num_memory_tokens: int
    sliding_window: int
    global_attn_idx: list
    kv_reuse_group: list
    mamba_d_state: int = 16
    mamba_d_conv: int = 4
    mamba_expand: int = 2
    mamba_dt_rank: int = -1
    rms_norm_eps: float = 1e-6
    rope_theta: float = 10000.0
    rope_type: str = "ntk"
    max_position_embeddings: int = 4096
    orig_max_position_embeddings: int = 1024
    seq_length: int = 4096
    fusion_mode: str = "fused"
    bos_token_id: int = 1
    eos_token_id: int = 2
    pad_token_id: int = 0

    def __post_init__(self):
        if self.mamba_dt_rank <= 0:
            self.mamba_dt_rank = math.ceil(self.hidden_size / 16)
        if self.fusion_mode not in FUSION_MODES:
            raise ValueError(f"fusion_mode must be one of {FUSION_MODES}, got {self.fusion_mode!r}")
        if self.hidden_size % self.num_attention_heads:
            raise ValueError("hidden_size must be divisible by num_attention_heads")
        if self.num_attention_heads % self.num_key_value_heads:
            raise ValueError("num_attention_heads must be divisible by num_key_value_heads")

    # derived sizes
    @property
    def inner(self) -> int:
        return self.mamba_expand * self.hidden_size

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_attention_heads

    @property
    def v_head_dim(self) -> int:
        return self.inner // self.num_attention_heads

    def producer_of(self) -> dict:
        """consumer layer -> producer layer (first id of each kv_reuse_group)."""
        out = {}
        for group in self.kv_reuse_group:
            for c in group[1:]:
                out[c] = group[0]
        return out

    @classmethod
    def from_hf(cls, d: dict) -> "HymbaConfig":
        names = set(cls.__dataclass_fields__)
        kw = {k: v for k, v in d.items() if k in names}
        if d.get("num_experts", 1) != 1 or d.get("num_mamba", 1) != 1:
            raise ValueError("only num_experts = 1 and num_mamba = 1 are supported")
        if d.get("memory_tokens_interspersed_every", 0) not in (0, None):
            raise ValueError("memory_tokens_interspersed_every must be 0")
        if d.get("kq_norm", "none") != "none" or not d.get("rope", True):
            raise ValueError("only kq_norm 'none' with rope true is supported")
        return cls(**kw)

    def to_hf(self, dtype: str = "bfloat16") -> dict:
        """Every field of the released config.json (architecture doc §1), plus fusion_mode."""
        n = self.num_hidden_layers
        return {
            "architectures": ["HymbaForCausalLM"],
            "attention_dropout": 0.0,
            "attn_hidden_size": -1,
            "attn_implementation": "flex",
            "attn_implementation_new": "flex",
            "auto_map": {"AutoConfig": "configuration_hymba.HymbaConfig",
                         "AutoModelForCausalLM": "modeling_hymba.HymbaForCausalLM"},
            "bos_token_id": self.bos_token_id,
            "calc_logits_for_entire_prompt": False,
            "conv_dim": {str(i): self.inner for i in range(n)},
            "eos_token_id": self.eos_token_id,
            "fusion_mode": self.fusion_mode,
            "global_attn_idx": list(self.global_attn_idx),
            "hidden_act": "silu",
            "hidden_size": self.hidden_size,
            "initializer_range": 0.02,
            "intermediate_size": self.intermediate_size,
            "kq_head_dim": -1,
            "kq_norm": "none",
            "kv_reuse_every_i_layer": -1,
            "kv_reuse_group": [list(g) for g in self.kv_reuse_group],
            "kv_weight_reuse": False,
            "layer_type": ["h"] * n,
            "mamba_conv_bias": True,
            "mamba_d_conv": self.mamba_d_conv,
            "mamba_d_state": self.mamba_d_state,
            "mamba_dt_rank": self.mamba_dt_rank,
            "mamba_expand": self.mamba_expand,
            "mamba_inner_layernorms": True,
            "mamba_proj_bias": False,
            "max_position_embeddings": self.max_position_embeddings,
            "memory_tokens_interspersed_every": 0,
            "mlp_hidden_act": "silu",
            "model_type": "hymba",
            "num_attention_heads": self.num_attention_heads,
            "num_experts": 1,
            "num_experts_per_tok": 1,
            "num_hidden_layers": n,
            "num_key_value_heads": self.num_key_value_heads,
            "num_mamba": 1,
            "num_memory_tokens": self.num_memory_tokens,
            "orig_max_position_embeddings": self.orig_max_position_embeddings,
            "output_router_logits": False,
            "pad_token_id": self.pad_token_id,
            "rms_norm_eps": self.rms_norm_eps,
            "rope": True,
            "rope_theta": self.rope_theta,
            "rope_type": self.rope_type,
            "router_aux_loss_coef": 0.001,
            "seq_length": self.seq_length,
            "sliding_window": self.sliding_window,
            "tie_word_embeddings": True,
            "torch_dtype": dtype,
            "transformers_version": "4.44.0",
            "use_cache": False,
            "use_mamba_kernels": True,
            "v_head_dim": self.v_head_dim,
            "vocab_size": self.vocab_size,
        }


class RMSNorm(nn.Module):
    def __init__(self, n: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(n))
        self.eps = eps

    def forward(self, x):
        xf = x.float()
        y = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * y.to(x.dtype)


def rope_inv_freq(cfg: HymbaConfig) -> torch.Tensor:
    dh = cfg.head_dim
    base = cfg.rope_theta
    if cfg.rope_type == "ntk":
        # static NTK rescale (§3.3), computed in double like the reference
        factor = 2.0 * cfg.max_position_embeddings / cfg.orig_max_position_embeddings - 1.0
        base = base * factor ** (dh / (dh - 2))
    elif cfg.rope_type not in ("default", "none", None):
        raise ValueError(f"unsupported rope_type {cfg.rope_type!r}")
    return 1.0 / (base ** (torch.arange(0, dh, 2, dtype=torch.int64).float() / dh))


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def selective_scan(dA: torch.Tensor, dBx: torch.Tensor) -> torch.Tensor:
    """Inclusive prefix of s_t = dA_t * s_{t-1} + dBx_t over dim 1, s_{-1} = 0. Shapes [B, T, ...]."""
    a, b = dA, dBx
    T = a.shape[1]
    k = 1
    while k < T:
        b = torch.cat((b[:, :k], torch.addcmul(b[:, k:], a[:, k:], b[:, :-k])), dim=1)
        if 2 * k < T:
            a = torch.cat((a[:, :k], a[:, k:] * a[:, :-k]), dim=1)
        k *= 2
    return b


def selective_scan_chunked(dA: torch.Tensor, dBx: torch.Tensor, chunk: int = 16) -> torch.Tensor:
    """Same result as selective_scan with far less memory traffic: a short sequential loop inside chunks (all
    chunks at once), a parallel prefix over the chunk ends, then one correction pass."""
    B, T = dA.shape[:2]
    rest = dA.shape[2:]
    pad = (-T) % chunk
    if pad:
        dA = torch.cat((dA, dA.new_ones((B, pad) + rest)), dim=1)
        dBx = torch.cat((dBx, dBx.new_zeros((B, pad) + rest)), dim=1)
    nc = (T + pad) // chunk
    a = dA.reshape((B, nc, chunk) + rest)
    b = dBx.reshape((B, nc, chunk) + rest)
    a_j, b_j = a.unbind(2), b.unbind(2)      # unbind: its backward is one stack, not a zero-fill per slice
    s, p = b_j[0], a_j[0]
    S, P = [s], [p]
    for j in range(1, chunk):
        s = torch.addcmul(b_j[j], a_j[j], s)
        p = p * a_j[j]
        S.append(s)
        P.append(p)
    S = torch.stack(S, 2)                       # chunk-local states (zero state entering each chunk)
    P = torch.stack(P, 2)                       # cumulative decay since the chunk start
    ends = selective_scan(P[:, :, -1], S[:, :, -1])          # true state at each chunk end
    h_in = torch.cat((torch.zeros_like(ends[:, :1]), ends[:, :-1]), dim=1)
    out = torch.addcmul(S, P, h_in.unsqueeze(2))
    return out.reshape((B, nc * chunk) + rest)[:, :T]


def selective_scan_loop(dA, dBx):
    """Reference sequential recurrence (used by the self-test)."""
    s = torch.zeros_like(dBx[:, 0])
    out = []
    for t in range(dA.shape[1]):
        s = dA[:, t] * s + dBx[:, t]
        out.append(s)
    return torch.stack(out, 1)


class HymbaMixer(nn.Module):
    """Holds the tensors of `model.layers.{i}.mamba.*`; computes the attention and SSM streams."""

    def __init__(self, cfg: HymbaConfig, layer: int, own_kv: bool):
        super().__init__()
        d, I, H, Hkv = cfg.hidden_size, cfg.inner, cfg.num_attention_heads, cfg.num_key_value_heads
        self.cfg, self.layer, self.own_kv = cfg, layer, own_kv
        rows = d + (Hkv * cfg.head_dim + Hkv * cfg.v_head_dim if own_kv else 0) + 2 * I
        self.in_proj = nn.Linear(d, rows, bias=False)
        self.conv1d = nn.Conv1d(I, I, cfg.mamba_d_conv, groups=I, padding=cfg.mamba_d_conv - 1, bias=True)
        N, R = cfg.mamba_d_state, cfg.mamba_dt_rank
        self.x_proj = nn.ModuleList([nn.Linear(I, R + 2 * N, bias=False)])
        self.dt_proj = nn.ModuleList([nn.Linear(R, I, bias=True)])
        self.dt_layernorm = RMSNorm(R, cfg.rms_norm_eps)
        self.B_layernorm = RMSNorm(N, cfg.rms_norm_eps)
        self.C_layernorm = RMSNorm(N, cfg.rms_norm_eps)
        self.A_log = nn.ParameterList([nn.Parameter(torch.log(torch.arange(1, N + 1).float()).repeat(I, 1))])
        self.D = nn.ParameterList([nn.Parameter(torch.ones(I))])
        self.pre_avg_layernorm1 = RMSNorm(I, cfg.rms_norm_eps)
        self.pre_avg_layernorm2 = RMSNorm(I, cfg.rms_norm_eps)
        self.out_proj = nn.Linear(I, d, bias=False)
        self.global_attn = layer in cfg.global_attn_idx

    def split(self, P):
        cfg = self.cfg
        d, I = cfg.hidden_size, cfg.inner
        kd, vd = cfg.num_key_value_heads * cfg.head_dim, cfg.num_key_value_heads * cfg.v_head_dim
        q = P[..., :d]
        o = d
        k = v = None
        if self.own_kv:
            k = P[..., o:o + kd]
            v = P[..., o + kd:o + kd + vd]
            o += kd + vd
        x = P[..., o:o + I]
        z = P[..., o + I:o + 2 * I]
        return q, k, v, x, z

    def attention(self, q, k, v, cos, sin, mask):
        """q [B,T,d] raw; k [B,T,Hkv,dh] post-RoPE; v [B,T,Hkv,dv]. Returns [B,T,I] head-major."""
        cfg = self.cfg
        B, T, _ = q.shape
        H, Hkv, dh = cfg.num_attention_heads, cfg.num_key_value_heads, cfg.head_dim
        q = q.reshape(B, T, H, dh)
        q = q * cos[:, None, :] + rotate_half(q) * sin[:, None, :]
        g = H // Hkv
        qh = q.permute(0, 2, 1, 3)                                       # B,H,T,dh
        kh = k.permute(0, 2, 1, 3).repeat_interleave(g, dim=1)           # B,H,T,dh  (head h uses kv h//g)
        vh = v.permute(0, 2, 1, 3).repeat_interleave(g, dim=1)           # B,H,T,dv
        s = torch.matmul(qh, kh.transpose(-1, -2)) / math.sqrt(dh)
        s = s.masked_fill(~mask, float("-inf"))
        p = torch.softmax(s.float(), dim=-1).to(vh.dtype)
        o = torch.matmul(p, vh)                                          # B,H,T,dv
        return o.permute(0, 2, 1, 3).reshape(B, T, H * cfg.v_head_dim)

    def make_kv(self, k, v, cos, sin):
        cfg = self.cfg
        B, T, _ = k.shape
        k = k.reshape(B, T, cfg.num_key_value_heads, cfg.head_dim)
        k = k * cos[:, None, :] + rotate_half(k) * sin[:, None, :]
        v = v.reshape(B, T, cfg.num_key_value_heads, cfg.v_head_dim)
        return k, v

    def ssm(self, x, z, use_ckpt: bool):
        cfg = self.cfg
        T = x.shape[1]
        N, R = cfg.mamba_d_state, cfg.mamba_dt_rank
        xc = self.conv1d(x.transpose(1, 2))[..., :T].transpose(1, 2)   # causal depthwise conv, left zero pad
        xc = F.silu(xc)
        dbc = self.x_proj[0](xc)
        dt, Bm, Cm = dbc[..., :R], dbc[..., R:R + N], dbc[..., R + N:]
        dt = self.dt_layernorm(dt)
        Bm = self.B_layernorm(Bm)
        Cm = self.C_layernorm(Cm)
        delta = F.softplus(F.linear(dt, self.dt_proj[0].weight).float() + self.dt_proj[0].bias.float())
        A = -torch.exp(self.A_log[0].float())

        def core(delta, A, Bm, Cm, xc):
            dA = torch.exp(delta.unsqueeze(-1) * A)                       # B,T,I,N
            dBx = (delta * xc.float()).unsqueeze(-1) * Bm.float().unsqueeze(-2)
            s = selective_scan_chunked(dA, dBx)
            return torch.einsum("btin,btn->bti", s, Cm.float())

        if use_ckpt and torch.is_grad_enabled():
            y = ckpt.checkpoint(core, delta, A, Bm, Cm, xc, use_reentrant=False)
        else:
            y = core(delta, A, Bm, Cm, xc)
        y = y + self.D[0].float() * xc.float()
        return (y * F.silu(z.float())).to(x.dtype)


class HymbaLayer(nn.Module):
    def __init__(self, cfg: HymbaConfig, layer: int, own_kv: bool):
        super().__init__()
        self.cfg = cfg
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.mamba = HymbaMixer(cfg, layer, own_kv)
        self.pre_moe_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.moe = nn.Module()
        self.moe.experts = nn.ModuleList([nn.Module()])
        e = self.moe.experts[0]
        e.gate_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        e.up_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        e.down_proj = nn.Linear(cfg.intermediate_size, cfg.hidden_size, bias=False)

    def mlp(self, x):
        e = self.moe.experts[0]
        h = self.pre_moe_layernorm(x)
        return e.down_proj(F.silu(e.gate_proj(h)) * e.up_proj(h))

    def forward(self, x, cos, sin, mask, shared_kv, use_ckpt=False, capture=None):
        """Returns (new x, (k, v) this layer produced or None)."""
        m = self.mamba
        h = self.input_layernorm(x)
        q, k, v, xs, z = m.split(m.in_proj(h))
        kv = m.make_kv(k, v, cos, sin) if m.own_kv else shared_kv
        attn = m.attention(q, kv[0], kv[1], cos, sin, mask)
        if self.cfg.fusion_mode == "fused":
            ssm = m.ssm(xs, z, use_ckpt)
            fused = (m.pre_avg_layernorm1(attn) + m.pre_avg_layernorm2(ssm)) / 2
            x = x + m.out_proj(fused)
        else:  # stacked_attn_first
            x = x + m.out_proj(m.pre_avg_layernorm1(attn) / 2)
            h1 = self.input_layernorm(x)
            _, _, _, xs1, z1 = m.split(m.in_proj(h1))
            ssm = m.ssm(xs1, z1, use_ckpt)
            x = x + m.out_proj(m.pre_avg_layernorm2(ssm) / 2)
        if capture is not None:
            capture.append({"attn": attn.detach(), "ssm": ssm.detach()})
        x = x + self.mlp(x)
        return x, (kv if m.own_kv else None)


class HymbaModel(nn.Module):
    def __init__(self, cfg: HymbaConfig):
        super().__init__()
        self.cfg = cfg
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        if cfg.num_memory_tokens > 0:
            self.memory_tokens = nn.Parameter(torch.zeros(cfg.num_memory_tokens, cfg.hidden_size))
        else:
            self.memory_tokens = None
        prod = cfg.producer_of()
        self.producer = prod
        self.layers = nn.ModuleList([HymbaLayer(cfg, i, own_kv=i not in prod) for i in range(cfg.num_hidden_layers)])
        self.final_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.register_buffer("inv_freq", rope_inv_freq(cfg), persistent=False)


class HymbaForCausalLM(nn.Module):
    def __init__(self, cfg: HymbaConfig):
        super().__init__()
        self.cfg = cfg
        self.model = HymbaModel(cfg)

    def masks(self, T: int, device):
        M, W = self.cfg.num_memory_tokens, self.cfg.sliding_window
        t = torch.arange(T, device=device)[:, None]
        u = torch.arange(T, device=device)[None, :]
        causal = u <= t
        local = causal & ((t - u <= W) | (u < M))
        return causal, local

    def forward(self, input_ids: torch.Tensor, use_ckpt: bool = False, capture=None) -> torch.Tensor:
        """input_ids [B, L] -> logits [B, L, V] (meta rows dropped)."""
        cfg, mdl = self.cfg, self.model
        B, L = input_ids.shape
        x = mdl.embed_tokens(input_ids)
        M = cfg.num_memory_tokens
        if M > 0:
            x = torch.cat((mdl.memory_tokens[None].expand(B, M, -1).to(x.dtype), x), dim=1)
        T = x.shape[1]
        pos = torch.arange(T, device=x.device, dtype=torch.float32)
        ang = pos[:, None] * mdl.inv_freq[None, :].float()
        emb = torch.cat((ang, ang), dim=-1)
        cos, sin = emb.cos().to(x.dtype), emb.sin().to(x.dtype)
        causal, local = self.masks(T, x.device)
        produced = {}
        for i, layer in enumerate(mdl.layers):
            mask = causal if i in cfg.global_attn_idx else local
            shared = produced.get(mdl.producer.get(i))
            x, kv = layer(x, cos, sin, mask, shared, use_ckpt=use_ckpt, capture=capture)
            if kv is not None:
                produced[i] = kv
        x = mdl.final_layernorm(x)[:, M:]
        return F.linear(x, mdl.embed_tokens.weight).float()

    # ---------------------------------------------------------------- init & IO
    @torch.no_grad()
    def init_weights(self, seed: int):
        g = torch.Generator().manual_seed(seed)
        cfg = self.cfg
        n = cfg.num_hidden_layers

        def normal_(t, std):
            t.copy_(torch.randn(t.shape, generator=g) * std)

        normal_(self.model.embed_tokens.weight, 0.02)
        if self.model.memory_tokens is not None:
            normal_(self.model.memory_tokens, 0.02)
        for layer in self.model.layers:
            m = layer.mamba
            normal_(m.in_proj.weight, 0.02)
            normal_(m.x_proj[0].weight, 0.02)
            normal_(m.out_proj.weight, 0.02 / math.sqrt(2 * n))
            e = layer.moe.experts[0]
            normal_(e.gate_proj.weight, 0.02)
            normal_(e.up_proj.weight, 0.02)
            normal_(e.down_proj.weight, 0.02 / math.sqrt(2 * n))
            # Mamba-1 style: dt in [1e-3, 1e-1] log-uniform, bias = softplus^-1(dt)
            R = cfg.mamba_dt_rank
            m.dt_proj[0].weight.copy_((torch.rand(m.dt_proj[0].weight.shape, generator=g) * 2 - 1) * R ** -0.5)
            dt = torch.exp(torch.rand(cfg.inner, generator=g) * (math.log(0.1) - math.log(1e-3)) + math.log(1e-3))
            m.dt_proj[0].bias.copy_(dt + torch.log(-torch.expm1(-dt)))
            bound = 1 / math.sqrt(cfg.mamba_d_conv)
            m.conv1d.weight.copy_((torch.rand(m.conv1d.weight.shape, generator=g) * 2 - 1) * bound)
            m.conv1d.bias.copy_((torch.rand(m.conv1d.bias.shape, generator=g) * 2 - 1) * bound)

    def hf_state_dict(self) -> dict:
        """§2 key names; lm_head omitted (tied)."""
        return {k: v for k, v in self.state_dict().items() if not k.startswith("lm_head")}

    def load_hf_state_dict(self, sd: dict):
        sd = {k: v for k, v in sd.items() if k != "lm_head.weight"}
        missing, unexpected = self.load_state_dict(sd, strict=False)
        if missing or unexpected:
            raise ValueError(f"checkpoint mismatch: missing={missing} unexpected={unexpected}")


def load_pretrained(folder: str, device="cpu", dtype=torch.float32) -> HymbaForCausalLM:
    from safetensors.torch import load_file
    with open(f"{folder}/config.json") as f:
        cfg = HymbaConfig.from_hf(json.load(f))
    model = HymbaForCausalLM(cfg)
    sd = {k: v.to(dtype) for k, v in load_file(f"{folder}/model.safetensors").items()}
    model.load_hf_state_dict(sd)
    return model.to(device=device, dtype=dtype)


def save_pretrained(model: HymbaForCausalLM, folder: str):
    """config.json + model.safetensors in BF16 without lm_head.weight."""
    import os
    from safetensors.torch import save_file
    os.makedirs(folder, exist_ok=True)
    sd = {k: v.detach().to("cpu", torch.bfloat16).contiguous() for k, v in model.hf_state_dict().items()}
    save_file(sd, f"{folder}/model.safetensors", metadata={"format": "pt"})
    with open(f"{folder}/config.json", "w") as f:
        json.dump(model.cfg.to_hf("bfloat16"), f, indent=2, sort_keys=True)
        f.write("\n")
