"""Getting raw documents in: files, folders, WARC, feeds, OPML and polite HTTP; the only network code."""
