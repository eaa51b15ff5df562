"""Size caps and read guards shared by the file and WARC readers, so both report failures alike."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from newsdesk.errors import InputError

__all__ = ["CHUNK_SIZE", "reading", "too_large", "why"]

CHUNK_SIZE = 1 << 16  # bytes per read when a stream is read piece by piece


def why(exc: BaseException) -> str:
    """The most readable reason an exception gives: an OSError's strerror, its text, or type."""
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc) or type(exc).__name__


def too_large(size: str, cap: int) -> str:
    """The reason for refusing an item of ``size`` bytes (already formatted) over ``cap``."""
    return f"too large: {size} bytes > cap {cap:,}"


@contextmanager
def reading(item: str) -> Iterator[None]:
    """Turn the ways reading a file fails into an InputError naming the item."""
    try:
        yield
    except EOFError as exc:
        raise InputError(item, f"truncated gzip: {why(exc)}") from exc
    except (gzip.BadGzipFile, zlib.error) as exc:  # BadGzipFile is an OSError: catch it first
        raise InputError(item, f"corrupt gzip: {why(exc)}") from exc
    except OSError as exc:
        raise InputError(item, f"unreadable: {why(exc)}") from exc
