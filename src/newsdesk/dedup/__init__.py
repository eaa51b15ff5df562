"""Duplicate detection across outlets: exact text hashes and MinHash near-duplicates."""

from newsdesk.dedup.nearduplicates import NearDuplicateIndex, signature, text_hash

__all__ = ["NearDuplicateIndex", "signature", "text_hash"]
