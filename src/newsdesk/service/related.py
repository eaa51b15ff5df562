"""An article's related picks: found from the story clusterer's neighbours, kept in memory and
in the store's prepared views for every process, and dropped when a new article may belong in
them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from newsdesk.errors import StoreError
from newsdesk.kept import LatestKept
from newsdesk.model import StoredArticle
from newsdesk.service.storyviews import RelatedView
from newsdesk.store import Store
from newsdesk.store.stories import StoredStory
from newsdesk.stories.cluster import StoryClusterer
from newsdesk.stories.related import (
    RelatedCandidate,
    RelatedPick,
    compare_page_links,
    pick_related,
    picks_from_json,
    picks_to_json,
)
from newsdesk.urls import canonical_url

CACHED_RELATED = 4096  # related views (by article and k) kept until the store's stories change
RELATED_VIEW = "related"  # the kind of prepared view the store keeps related picks under
KEPT_RELATED_K = 5  # related picks kept in the store per article (fewer are a prefix of them)
RELATED_NEAR = 20  # neighbours scored for related picks, and outdated by a new article


class RelatedFinder:
    """Related picks over a store and the clusterer that assigned its stories."""

    def __init__(self, store: Store, clusterer: Callable[[], StoryClusterer]) -> None:
        self.store = store
        self._clusterer = clusterer  # the story desk's, loaded and caught up when asked for
        self._related = LatestKept[tuple[int, int], RelatedView]()

    @property
    def clusterer(self) -> StoryClusterer:
        """The story clusterer, caught up with the store."""
        return self._clusterer()

    def related(
        self, article_id: int, *, k: int = 5, stored: StoredArticle | None = None
    ) -> RelatedView:
        """The article's top ``k`` related articles with reasons, never itself or its copies.
        Kept in this process (the latest CACHED_RELATED asked for) until the store's stories
        change, and in the store for every process (see :meth:`_picks`). ``stored``: the
        article, when the caller has read it already."""
        self.clusterer  # noqa: B018 - caught up with the store before reading it
        key = (article_id, k)
        mark = self.store.stories.fingerprint()
        cached = self._related.get(key, mark=mark)
        if cached is not None:
            return cached
        view = self._find_related(stored or self.store.article(article_id), k=k)
        self._related.put(key, view, keep=CACHED_RELATED, mark=mark)
        return view

    def _find_related(self, stored: StoredArticle, *, k: int) -> RelatedView:
        """The picks (kept or found) and how the page's own related block compares."""
        article_id = stored.id
        try:
            story_id = self.clusterer.story_of(article_id)
        except KeyError as exc:
            raise StoreError(
                f"article {article_id} is in no story yet: run `newsdesk recluster`"
            ) from exc
        picks = self._picks(stored, story_id, k=k)
        urls = {link.url: canonical_url(link.url) for link in stored.article.related_links
                if link.url}  # fmt: skip
        stored_at = self.store.article_ids_for_urls(urls.values())
        found: dict[str, tuple[int, int | None]] = {
            url: (known, self.store.stories.story_of(known))
            for url, canonical in urls.items()
            if (known := stored_at.get(canonical))
        }
        checks = compare_page_links(stored.article.related_links, found, story_id, picks)
        return RelatedView(
            article=stored, story_id=story_id, picks=tuple(picks), page_links=tuple(checks)
        )

    def _picks(self, stored: StoredArticle, story_id: int, *, k: int) -> list[RelatedPick]:
        """The related picks of ``stored``: a syndicated copy gets its original's. Up to
        KEPT_RELATED_K of them are kept in the store under the story's last update (a new
        member, a move or a merge outdates them); an article stored near them drops them
        (:meth:`outdate`)."""
        root = stored.duplicate_of.original_id if stored.duplicate_of else stored.id
        if k > KEPT_RELATED_K:
            return self._pick(stored, story_id, k=k)
        stored_in = self.store.stories.story_of(root) or story_id  # as any process sees it
        version = _version(stored_in, self.store.stories.story(stored_in).updated_at)
        body = self.store.prepared.get(RELATED_VIEW, str(root), version)
        if body is not None:
            return picks_from_json(body)[:k]
        original = stored if root == stored.id else self.store.article(root)
        picks = self._pick(original, story_id, k=KEPT_RELATED_K)
        self.store.prepared.put(RELATED_VIEW, str(root), version, picks_to_json(picks))
        return picks[:k]

    def _pick(self, stored: StoredArticle, story_id: int, *, k: int) -> list[RelatedPick]:
        """Score the article's neighbours from their stored vectors and pick the related."""
        article_id = stored.id
        clusterer = self.clusterer
        root = stored.duplicate_of.original_id if stored.duplicate_of else article_id
        excluded = {root, *self.store.copies_of(root), *self.store.copies_of(article_id)}
        spans: dict[int, StoredStory] = {}

        def span(sid: int) -> StoredStory:
            if sid not in spans:
                spans[sid] = self.store.stories.story(sid)
            return spans[sid]

        try:
            near = clusterer.similar(article_id, k=max(4 * k, RELATED_NEAR))
        except KeyError:  # no vector kept for it (a store from before vectors were kept)
            near = []
        near = [(other, score) for other, score in near if other not in excluded | {article_id}]
        briefs = self.store.stories.story_articles([i for i, _ in near], brief=True)
        loaded = {a.id: a for a in briefs}
        candidates = []
        for other, score in near:
            other_story = clusterer.story_of(other)
            candidates.append(
                RelatedCandidate(
                    stored=loaded[other], story_id=other_story, score=score,
                    story_first=span(other_story).first_seen,
                    story_last=span(other_story).last_seen,
                )
            )  # fmt: skip
        return pick_related(
            stored, story_id, candidates, excluded=excluded,
            story_first=span(story_id).first_seen, k=k,
        )  # fmt: skip

    def outdated(self) -> list[int]:
        """The original articles whose kept picks are missing or were made under an older
        version of their story, in id order: what ``newsdesk prepare`` has to find."""
        kept = self.store.prepared.versions(RELATED_VIEW)
        live = {s.id: s for s in self.store.stories.stories()}
        wanted = []
        for story_id, members in self.store.stories.members_of().items():  # every story's
            if story_id not in live:  # merged away (its articles moved with it)
                continue
            version = _version(story_id, live[story_id].updated_at)
            wanted += [
                m.article_id for m in members
                if m.duplicate_of is None and kept.get(str(m.article_id)) != version
            ]  # fmt: skip
        return sorted(wanted)

    def outdate(self, article_id: int) -> None:
        """Drop the kept related picks a new article may belong in: those of its nearest
        articles in other stories (its own story's are outdated by the story's update)."""
        try:
            near = self.clusterer.similar(article_id, k=RELATED_NEAR)
        except KeyError:
            return
        self.store.prepared.drop(RELATED_VIEW, [str(i) for i, _ in near])


def _version(story_id: int, updated: datetime) -> str:
    """What kept picks are valid under: their story and its last update."""
    return f"{story_id}@{updated.isoformat()}"
