"""Online story clustering: each article joins the most similar open story or opens its own.

A doc is compared only with the stories an inverted index over centroid top terms finds for
its own heaviest terms, so adding one article costs about the same at 100 or 100k articles.
Similarity is the TF-IDF cosine with the story centroid, plus bonuses for shared actors,
events and places (between a dated doc and a dated story) and a term for how alike the
people the doc and the story lead with are, scaled down with the time gap; a story whose
span lies more than ``window_days`` from the doc's date is closed to it. Syndicated copies
join their original's story without touching its centroid. A doc that matches a second story
strongly merges the two when their centroids agree; the younger story's id then resolves to
the older one. After a join the young stories around it are looked at again
(:mod:`newsdesk.stories.revisit`): members may move, the joined story may split in two, two
alike stories may merge.
Each original doc's term vector goes to a :class:`VectorSource` (memory by default), read
only by :meth:`StoryClusterer.similar`, so the saved state holds only what joining needs.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace

from newsdesk.stories import state
from newsdesk.stories.centroids import DocTable, Story, add_counts, bump
from newsdesk.stories.documents import Assignment, StoryDoc
from newsdesk.stories.revisit import Regrouped, revisit
from newsdesk.stories.similarity import (
    Weights,
    bonus,
    bonus_share,
    gap_days,
    lead_counts,
    lead_term,
    time_factor,
)
from newsdesk.stories.vectors import (
    MemoryVectors,
    Sparse,
    TermStats,
    VectorSource,
    add_into,
    cosine_weighted,
    dot,
    merge_counts,
    top_terms,
    truncate,
    unit_tf,
    weighted_terms,
)

NEARBY_CANDIDATES = 40  # other stories `similar` scores: those sharing most query terms


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Every knob of the clusterer; persisted with its state."""

    threshold: float = 0.25
    window_days: float = 30.0
    young_margin: float = 0.1  # extra similarity a story of one article asks for (/ its size)
    merge_threshold: float = 0.55  # a second story this similar to the doc may be merged
    merge_centroids: float = 0.70  # ... when the two centroids are at least this similar
    title_weight: float = 2.0
    proper_weight: float = 2.0
    doc_terms: int = 120  # terms kept per doc vector
    centroid_terms: int = 200  # terms kept per story centroid
    index_terms: int = 20  # centroid terms listed in the inverted index
    query_terms: int = 20  # doc terms looked up in the inverted index
    max_candidates: int = 200  # stories scored per doc, those sharing most query terms
    max_items: int = 30  # actors, events, places remembered per story
    # Revisiting young stories after a join (newsdesk.stories.revisit); chosen on ECB+ dev.
    revisit: bool = True  # after a join, re-place the members of young nearby stories
    revisit_stories: int = 4  # nearby stories (beyond the joined one) revisited
    revisit_floor: float = 0.15  # ... those the doc scored at least this with
    young_size: int = 30  # a story of at most this many originals may give members away
    move_margin: float = 0.02  # a member moves when another story suits it this much better
    split_below: float = 0.45  # split the joined story when its halves are less alike (0: never)
    split_min: int = 2  # ... and each half has at least this many originals
    revisit_merge: float = 0.55  # merge two revisited stories this alike (above 1: never)
    weights: Weights = field(default_factory=Weights)


class StoryClusterer:
    """Groups articles into stories online; see the module docstring for how."""

    def __init__(
        self,
        *,
        threshold: float | None = None,
        window_days: float | None = None,
        settings: Settings | None = None,
        vectors: VectorSource | None = None,
    ) -> None:
        base = settings or Settings()
        self.settings = replace(
            base,
            threshold=base.threshold if threshold is None else threshold,
            window_days=base.window_days if window_days is None else window_days,
        )
        self.stats = TermStats()
        self.docs = DocTable()
        self.vectors: VectorSource = MemoryVectors() if vectors is None else vectors
        self.story_by_id = state.StoryTable()  # live stories by id, packed until read
        self.merged_into: dict[int, int] = {}
        self.copies: dict[int, list[int]] = {}
        self.index = state.Postings[int]()  # term id -> stories with it in index_terms
        self.actor_index = state.Postings[str]()  # actor key -> stories it is counted in
        self.clock: float | None = None  # latest publication time seen
        self.next_seq = 0

    # ------------------------------------------------------------------------------ adding

    def add(self, doc: StoryDoc) -> Assignment:
        """Put one doc into a story (an existing one, or a new one it opens)."""
        if doc.id in self.docs:  # already placed: report where, change nothing
            return Assignment(doc_id=doc.id, story_id=self.story_of(doc.id), new_story=False,
                              score=1.0)  # fmt: skip
        when = doc.published.timestamp() if doc.published is not None else None
        if when is not None:
            self.clock = when if self.clock is None else max(self.clock, when)
        if doc.duplicate_of is not None and doc.duplicate_of in self.docs:
            return self._add_copy(doc, when)
        return self._add_original(doc, when)

    def add_many(self, docs: Iterable[StoryDoc]) -> list[Assignment]:
        """Add a batch in a fixed order (originals before copies, dated by date, undated last,
        then by id), so the result does not depend on the order the batch was given in."""
        ordered = sorted(
            docs,
            key=lambda d: (
                d.duplicate_of is not None,
                d.published is None,
                d.published.timestamp() if d.published is not None else 0.0,
                d.id,
            ),
        )
        return [self.add(doc) for doc in ordered]

    def _add_copy(self, doc: StoryDoc, when: float | None) -> Assignment:
        assert doc.duplicate_of is not None
        original = self.docs.original(doc.duplicate_of)  # a copy of a copy: the first original
        root = doc.duplicate_of if original is None else original
        story = self.story_by_id[self.resolve(self.docs.story(doc.duplicate_of))]
        story.members.append(doc.id)
        story.see(when)
        self.story_by_id.changed.add(story.id)
        self.copies.setdefault(root, []).append(doc.id)
        self.docs.add(doc.id, story.id, when, root)
        return Assignment(doc_id=doc.id, story_id=story.id, new_story=False, score=1.0)

    def _add_original(self, doc: StoryDoc, when: float | None) -> Assignment:
        s = self.settings
        counts = merge_counts(
            [
                (weighted_terms(doc.title, proper_weight=s.proper_weight), s.title_weight),
                (weighted_terms(doc.text, proper_weight=s.proper_weight), 1.0),
            ]
        )
        tf = truncate(self.stats.observe(counts), self.stats, s.doc_terms)
        query = self.stats.weighted(tf)
        scored = self._score_stories(doc, query, when if when is not None else self.clock)
        joinable = [
            pair
            for pair in scored
            if pair[0] >= s.threshold + s.young_margin / max(pair[1].originals, 1)
        ]
        if joinable:
            score, story = joinable[0]
            self._join(story, doc, tf, when)
            merged = self._merge_around(story, [p for p in scored if p[1] is not story])
            self.docs.add(doc.id, story.id, when, None, doc.leads)
            self.vectors.put(doc.id, tf)
            regrouped = revisit(self, self.resolve(story.id), scored) if s.revisit else Regrouped()
            return Assignment(doc_id=doc.id, story_id=self.story_of(doc.id), new_story=False,
                              score=round(score, 6), merged=merged + regrouped.ended,
                              moved=regrouped.moved)  # fmt: skip
        story = self.open_story(doc.id)
        self._join(story, doc, tf, when)
        self.docs.add(doc.id, story.id, when, None, doc.leads)
        self.vectors.put(doc.id, tf)
        return Assignment(doc_id=doc.id, story_id=story.id, new_story=True, score=0.0)

    def open_story(self, story_id: int) -> Story:
        """A new, empty story with the next creation order."""
        story = Story(id=story_id, seq=self.next_seq)
        self.next_seq += 1
        self.story_by_id[story_id] = story
        return story

    def _candidates(
        self, query: Sparse, actors: Iterable[str] = (), when: float | None = None,
        limit: int | None = None,
    ) -> list[Story]:  # fmt: skip
        """Stories listed under the query's heaviest terms or its actors, those sharing most
        first (at most ``limit``, else ``max_candidates``); with ``when``, only those open to
        a doc of that time."""
        hits: dict[int, int] = {}
        for term in top_terms(query, self.stats, self.settings.query_terms):
            for sid in self.index.get(term, ()):
                hits[sid] = hits.get(sid, 0) + 1
        for actor in set(actors):
            for sid in self.actor_index.get(actor, ()):
                hits[sid] = hits.get(sid, 0) + 1
        best = sorted(hits, key=lambda sid: (-hits[sid], self.story_by_id.seq(sid)))
        best = best[: self.settings.max_candidates if limit is None else limit]
        if when is not None:  # closed stories are left packed
            window = self.settings.window_days
            best = [sid for sid in best if gap_days(when, *self.story_by_id.span(sid)) <= window]
        return [self.story_by_id[sid] for sid in best]

    def _score_stories(
        self, doc: StoryDoc, query: Sparse, when: float | None
    ) -> list[tuple[float, Story]]:
        """Open candidate stories with their similarity to the doc, best first."""
        s = self.settings
        leads = lead_counts(doc.leads)
        scored = []
        for story in self._candidates(query, doc.actors, when):
            gap = gap_days(when, story.first, story.last)
            factor = time_factor(gap, s.window_days, s.weights.time_decay)
            if factor <= 0.0:
                continue
            text = cosine_weighted(query, story.centroid(), self.stats)
            extra = bonus(
                s.weights, actors=doc.actors, events=doc.events, places=doc.places,
                story_actors=story.actors, story_events=story.events, story_places=story.places,
            )  # fmt: skip
            extra *= bonus_share(s.weights, when, story.first)
            lead = lead_term(s.weights, leads, story.leads)
            scored.append(((min(1.0, text + extra) + lead) * factor, story))
        scored.sort(key=lambda pair: (-pair[0], pair[1].seq))
        return scored

    def _join(self, story: Story, doc: StoryDoc, tf: Sparse, when: float | None) -> None:
        """Add an original doc to a story: members, span, centroid, index, shared items."""
        s = self.settings
        story.members.append(doc.id)
        story.originals += 1
        story.see(when)
        centroid = story.centroid()
        add_into(centroid, unit_tf(tf))
        self.set_centroid(story, truncate(centroid, self.stats, s.centroid_terms))
        self._count_actors(story, doc.actors)
        bump(story.events, doc.events, s.max_items)
        bump(story.places, doc.places, s.max_items)
        add_counts(story.leads, lead_counts(doc.leads), s.max_items)

    def _count_actors(self, story: Story, actors: Iterable[str]) -> None:
        """Count a doc's actors into a story and keep the actor index in step."""
        before = set(story.actors)
        bump(story.actors, actors, self.settings.max_items)
        after = set(story.actors)
        for actor in before - after:
            self._unlist_actor(actor, story.id)
        for actor in after - before:
            self.actor_index.setdefault(actor, set()).add(story.id)

    def _unlist_actor(self, actor: str, story_id: int) -> None:
        postings = self.actor_index[actor]
        postings.discard(story_id)
        if not postings:
            del self.actor_index[actor]

    def set_centroid(self, story: Story, centroid: Sparse) -> None:
        """Give a story a new (truncated) centroid, keeping the term index in step."""
        story.set_centroid(centroid)
        self.story_by_id.changed.add(story.id)  # every change to a story passes here
        new_terms = tuple(top_terms(centroid, self.stats, self.settings.index_terms))
        for term in set(story.index_terms) - set(new_terms):
            postings = self.index[term]
            postings.discard(story.id)
            if not postings:
                del self.index[term]
        for term in new_terms:
            self.index.setdefault(term, set()).add(story.id)
        story.index_terms = new_terms

    def retire(self, story: Story, into: int) -> None:
        """End a story merged or emptied away: off both indexes, its id resolving to ``into``."""
        for actor in story.actors:
            self._unlist_actor(actor, story.id)
        self.set_centroid(story, {})
        del self.story_by_id[story.id]
        self.merged_into[story.id] = into

    def _merge_around(self, joined: Story, others: list[tuple[float, Story]]) -> tuple[int, ...]:
        """Merge into ``joined`` every other story the doc matched strongly whose centroid
        agrees with it; the older story (lower seq) survives. Returns the ids merged away."""
        s = self.settings
        merged: list[int] = []
        keep = joined
        for score, other in others:
            if score < s.merge_threshold:
                break
            mine = self.stats.weighted(keep.centroid())
            if cosine_weighted(mine, other.centroid(), self.stats) < s.merge_centroids:
                continue
            survivor, gone = (keep, other) if keep.seq < other.seq else (other, keep)
            centroid = survivor.centroid()
            add_into(centroid, gone.centroid())
            for actor in survivor.actors:
                self._unlist_actor(actor, survivor.id)
            survivor.absorb(gone, s.max_items)
            for actor in survivor.actors:
                self.actor_index.setdefault(actor, set()).add(survivor.id)
            self.set_centroid(survivor, truncate(centroid, self.stats, s.centroid_terms))
            self.retire(gone, survivor.id)
            merged.append(gone.id)
            keep = survivor
        return tuple(merged)

    # ----------------------------------------------------------------------------- reading

    def resolve(self, story_id: int) -> int:
        """The live story an id now stands for (itself unless it was merged away)."""
        root = story_id
        while root in self.merged_into:
            root = self.merged_into[root]
        while story_id != root:  # point the whole chain at the root for the next call
            following = self.merged_into[story_id]
            self.merged_into[story_id] = root
            story_id = following
        return root

    def story_of(self, doc_id: int) -> int:
        """The live story of an added doc; KeyError for a doc never added."""
        return self.resolve(self.docs.story(doc_id))

    def stories(self) -> dict[int, list[int]]:
        """Live story id -> its doc ids (copies included) in arrival order, except that the
        docs of a story merged in follow the survivor's own."""
        return {sid: list(story.members) for sid, story in self.story_by_id.items()}

    def similar(self, doc_id: int, k: int = 10) -> list[tuple[int, float]]:
        """The ``k`` docs nearest to ``doc_id`` by text cosine: its own story's first, then
        docs of the most similar other stories; never the doc, its original or any copy.
        KeyError when the vector source holds no vector for the doc (or its original)."""
        original = self.docs.original(doc_id)
        root = doc_id if original is None else original
        own = self.vectors.get((root,))
        if root not in own:
            raise KeyError(f"no vector kept for doc {root}")
        query = self.stats.weighted(own[root])
        home = self.story_by_id[self.resolve(self.docs.story(root))]

        def ranked(ids: Collection[int]) -> list[tuple[int, float]]:
            wanted = [i for i in ids if i != root and self.docs.original(i) is None]
            found = [
                (other, round(dot(query, self.stats.weighted(vector)), 6))
                for other, vector in self.vectors.get(wanted).items()
            ]
            return sorted(found, key=lambda pair: (-pair[1], pair[0]))

        result = ranked(home.members)[:k]
        if len(result) < k:
            others = [
                (cosine_weighted(query, story.centroid(), self.stats), story)
                for story in self._candidates(query, limit=NEARBY_CANDIDATES)
                if story.id != home.id
            ]
            others.sort(key=lambda pair: (-pair[0], pair[1].seq))
            nearby = [m for _, story in others[:5] for m in story.members]
            result += ranked(nearby)[: k - len(result)]
        return result

    # ------------------------------------------------------------------------- persistence

    def to_bytes(self) -> bytes:
        """The joining state (not the doc vectors, which stay in :attr:`vectors`), to reload
        with :meth:`from_bytes` instead of refitting."""
        return state.dump(self)

    @classmethod
    def from_bytes(cls, data: bytes, *, vectors: VectorSource | None = None) -> StoryClusterer:
        """A clusterer in exactly the state :meth:`to_bytes` saved, reading doc vectors from
        ``vectors`` (a state saved with its vectors inside, format 1, puts them there)."""
        return state.load(cls, data, vectors=vectors)
