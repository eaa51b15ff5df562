"""Duplicate detection across outlets: exact text hashes and MinHash near-duplicates."""

from newsdesk.dedup.nearduplicates import (
    NearDuplicateIndex,
    Signature,
    from_bytes,
    signature,
    similarity_to_stored,
    text_hash,
    to_bytes,
)

__all__ = [
    "NearDuplicateIndex",
    "Signature",
    "from_bytes",
    "signature",
    "similarity_to_stored",
    "text_hash",
    "to_bytes",
]
