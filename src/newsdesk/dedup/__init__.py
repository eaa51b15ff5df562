"""Duplicate detection across outlets: exact text hashes and MinHash near-duplicates."""
