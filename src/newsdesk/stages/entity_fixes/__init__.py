"""Rules that correct spaCy's entities on particular kinds of news text (tables, capitals)."""
