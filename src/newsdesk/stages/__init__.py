"""Built-in per-article stages, registered through the same entry points as plugins."""
