"""Syndicated and edited copies: exact hashes of normalised text, MinHash LSH for near copies."""

from __future__ import annotations

import hashlib
import re

import numpy as np
from datasketch import MinHash, MinHashLSH

from newsdesk.text import normalised_for_hash

NUM_PERM = 128
SHINGLE_WORDS = 3
# An edited wire copy (new headline, a paragraph added, a tenth of sentences reworded) keeps
# roughly 0.6-0.8 of its word 3-shingles; two different reports of one event stay well under
# 0.3. The LSH threshold finds candidates; the estimated Jaccard decides.
LSH_THRESHOLD = 0.5
MIN_SIMILARITY = 0.6
# Stored signatures are only comparable under the hashing scheme that made them.
SCHEME = "affine32"


def text_hash(text: str) -> str:
    """Hash of the text with case, punctuation and spacing ignored: equal for exact copies."""
    return hashlib.sha256(normalised_for_hash(text).encode()).hexdigest()


def signature(text: str) -> MinHash:
    """MinHash of the word 3-shingles of ``text``."""
    words = re.findall(r"\w+", text.casefold())
    shingles = {
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(max(len(words) - SHINGLE_WORDS + 1, 1))
    }
    minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    minhash.update_batch(list(shingles))
    return minhash


Signature = MinHash


def similarity_to_stored(minhash: MinHash, blob: bytes) -> float:
    """Estimated Jaccard similarity between a signature and a stored one."""
    return float(minhash.jaccard(from_bytes(blob)))


def to_bytes(minhash: MinHash) -> bytes:
    """The signature as stored in the database."""
    return bytes(np.asarray(minhash.hashvalues, dtype=np.uint64).tobytes())


def from_bytes(blob: bytes) -> MinHash:
    """A stored signature back as a MinHash."""
    values = np.frombuffer(blob, dtype=np.uint64).copy()
    return MinHash(num_perm=NUM_PERM, hashvalues=values, scheme=SCHEME)


class NearDuplicateIndex:
    """In-memory LSH over the signatures of original articles, rebuilt from the store on open."""

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self._signatures: dict[int, MinHash] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def add(self, article_id: int, minhash: MinHash) -> None:
        """Index an original article."""
        if article_id in self._signatures:
            return
        self._lsh.insert(article_id, minhash)
        self._signatures[article_id] = minhash

    def remove(self, article_id: int) -> None:
        """Stop indexing an article (it became a copy of an earlier one)."""
        if self._signatures.pop(article_id, None) is not None:
            self._lsh.remove(article_id)

    def add_stored(self, article_id: int, blob: bytes) -> None:
        """Index an article from its stored signature."""
        self.add(article_id, from_bytes(blob))

    def best_match(self, minhash: MinHash) -> tuple[int, float] | None:
        """The most similar indexed article at or above ``MIN_SIMILARITY``, oldest on ties."""
        best: tuple[int, float] | None = None
        for candidate in sorted(self._lsh.query(minhash)):
            similarity = float(minhash.jaccard(self._signatures[candidate]))
            if similarity >= MIN_SIMILARITY and (best is None or similarity > best[1]):
                best = (int(candidate), similarity)
        return best
