"""Getting raw documents in: files, WARC, feeds, OPML and polite HTTP; the only network code."""
