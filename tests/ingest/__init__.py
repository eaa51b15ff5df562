"""Tests of getting raw documents in: files, WARC, feeds and the polite HTTP fetcher."""
