"""What the story service returns: plain, typed views for the CLI and the web (no Rich, no HTML)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from newsdesk.model import StoredArticle
from newsdesk.store.stories import StoredStory, StoryMember
from newsdesk.stories.related import PageLinkCheck, RelatedPick
from newsdesk.stories.sayings import WhoSaidWhat
from newsdesk.stories.summary import SummarySentence
from newsdesk.stories.timeline import Timeline


@dataclass(frozen=True, slots=True)
class StoryListing:
    """A story in the list: its facts, recent activity and articles per day."""

    story: StoredStory
    recent: int  # original articles in the ACTIVITY_DAYS before the newest article stored
    daily: tuple[tuple[date, int], ...]  # original articles per day, up to its last one
    members: tuple[StoryMember, ...]


@dataclass(frozen=True, slots=True)
class StoryView:
    """One story: its facts, its articles (oldest first) and a short cited summary."""

    story: StoredStory
    requested: int  # the id asked for; differs from story.id when it was merged away
    merged: tuple[int, ...]  # story ids merged into this one
    articles: tuple[StoredArticle, ...]
    members: tuple[StoryMember, ...]
    summary: tuple[SummarySentence, ...]


@dataclass(frozen=True, slots=True)
class StoryPage:
    """Every view of one story, built from one read of its articles."""

    view: StoryView
    timeline: Timeline
    quotes: WhoSaidWhat


@dataclass(frozen=True, slots=True)
class RelatedView:
    """An article's related picks, and how the page's own related block compares."""

    article: StoredArticle
    story_id: int | None
    picks: tuple[RelatedPick, ...]
    page_links: tuple[PageLinkCheck, ...]


@dataclass(frozen=True, slots=True)
class ReclusterReport:
    """What rebuilding the stories from scratch did."""

    articles: int
    stories: int
    seconds: float
