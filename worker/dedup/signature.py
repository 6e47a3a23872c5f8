"""Similarity signatures of stories: MinHash over word shingles, cut into LSH bands.

Two articles are one story when the estimated Jaccard similarity of their
sets of 4-word shingles reaches `settings.dedup.threshold`. Text is folded
the way the matcher folds it, so typography, case and accents do not make two
copies of a wire story differ. MinHash keeps 128 values per article whatever
its length; LSH splits them into bands and stores a key per band, so finding
candidate stories costs one lookup per band instead of a comparison with
every recent story. Bands are cut so the LSH curve's midpoint sits below the
threshold: recall first, and every candidate is verified against its stored
signature before two articles become one story.

MinHash is computed with numpy (universal hashing modulo the Mersenne prime
2^61-1, as in Broder's paper and datasketch), which keeps this module free of
heavier dependencies.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from worker.folding import fold

PERMUTATIONS = 128
SHINGLE = 4
_PRIME = np.uint64((1 << 61) - 1)
_MAX = np.uint64((1 << 32) - 1)
_rng = np.random.RandomState(20161211)  # fixed: signatures must agree across processes and releases
_A = _rng.randint(1, int(_PRIME), size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.randint(0, int(_PRIME), size=PERMUTATIONS, dtype=np.uint64)

Signature = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class Fingerprint:
    content: str  # hash of the folded text: identical copies
    signature: Signature  # MinHash: near-identical copies


def words(title: str, body: str) -> list[str]:
    return fold(f"{title}\n{body}").text.split()


def fingerprint(title: str, body: str) -> Fingerprint:
    tokens = words(title, body)
    content = hashlib.sha256(" ".join(tokens).encode()).hexdigest()[:32]
    return Fingerprint(content, minhash(shingles(tokens)))


def shingles(tokens: list[str]) -> set[bytes]:
    if len(tokens) <= SHINGLE:
        return {" ".join(tokens).encode()}
    runs = zip(tokens, tokens[1:], tokens[2:], tokens[3:], strict=False)  # SHINGLE words each
    return {f"{a} {b} {c} {d}".encode() for a, b, c, d in runs}


def minhash(items: set[bytes]) -> Signature:
    # each shingle's 4-byte digest, read as one little-endian array: a Python call per shingle, no more
    digests = b"".join([hashlib.blake2b(s, digest_size=4).digest() for s in items])
    hashes = np.frombuffer(digests, dtype="<u4").astype(np.uint64)
    values = np.bitwise_and((np.outer(hashes, _A) + _B) % _PRIME, _MAX)
    signature: Signature = values.min(axis=0) if len(items) else np.full(PERMUTATIONS, _MAX)
    return signature


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity: the share of permutations whose minimum agrees."""
    return float(np.count_nonzero(a == b)) / PERMUTATIONS


def bands_for(threshold: float) -> tuple[int, int]:
    """(bands, rows) with the most rows whose LSH midpoint (1/bands)^(1/rows) stays below `threshold`."""
    best = (PERMUTATIONS, 1)
    for rows in (1, 2, 4, 8, 16, 32):
        bands = PERMUTATIONS // rows
        if (1 / bands) ** (1 / rows) <= threshold:
            best = (bands, rows)
    return best


def band_keys(signature: Signature, threshold: float) -> list[str]:
    """One key per band: the band's index and a hash of its rows."""
    bands, rows = bands_for(threshold)
    return [f"{i}:{hashlib.blake2b(signature[i * rows:(i + 1) * rows].tobytes(), digest_size=8).hexdigest()}"
            for i in range(bands)]


def encode(signature: Signature) -> str:
    return signature.astype("<u8").tobytes().hex()


def decode(text: str) -> Signature:
    signature: Signature = np.frombuffer(bytes.fromhex(text), dtype="<u8").astype(np.uint64)
    return signature
