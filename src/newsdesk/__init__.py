"""newsdesk: a structured, trustworthy picture of a developing story from a stream of coverage."""

from newsdesk.model import Article, Published, RawDocument, RelatedLink

__all__ = ["Article", "Published", "RawDocument", "RelatedLink"]
__version__ = "0.1.0"
