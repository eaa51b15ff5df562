"""The only database code in newsdesk: SQLite by default, behind one ``Store`` class."""

from newsdesk.store.actors import ActorRepository, ActorSummary, TitleUse
from newsdesk.store.search import HIGHLIGHT_END, HIGHLIGHT_START, SearchHit
from newsdesk.store.store import Store, StoreStats

__all__ = [
    "HIGHLIGHT_END",
    "HIGHLIGHT_START",
    "ActorRepository",
    "ActorSummary",
    "SearchHit",
    "Store",
    "StoreStats",
    "TitleUse",
]
