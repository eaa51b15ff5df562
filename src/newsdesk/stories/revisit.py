"""Re-examining the young stories near a join, so an early wrong grouping can still be undone.

Joining is greedy: a story's first articles decide what it is about, and a story opened by a
vague article can take in two events. After a doc joins a story, the members of the young
stories (at most ``young_size`` originals) among the stories the doc scored best are looked
at again: a member moves to a nearby story that suits it clearly better than its own (its own
judged without it; the people it leads with count as when joining); the joined story, when
its members form two groups whose centroids are unlike, splits in two (the new story's id is
the id of the first doc of its group not yet used as a story id); and two of these stories
whose centroids agree merge. Only a handful of stories of at most ``young_size`` originals
are read, so an add stays cheap at any size.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsdesk.stories.centroids import Story, add_counts
from newsdesk.stories.similarity import (
    Weights,
    bonus_share,
    gap_days,
    lead_counts,
    lead_term,
    time_factor,
)
from newsdesk.stories.vectors import Sparse, TermStats, add_into, dot, truncate, unit_tf

if TYPE_CHECKING:
    from newsdesk.stories.cluster import StoryClusterer

PASSES = 2  # rounds of member moves: a second round settles what the first moved
BISECT_ROUNDS = 5  # 2-means iterations when parting a story in two


@dataclass(frozen=True, slots=True)
class Regrouped:
    """What a revisit changed: the stories it ended (emptied, their ids now resolving to the
    story that took most of their members) and the docs, copies included, that changed story."""

    ended: tuple[int, ...] = ()
    moved: tuple[int, ...] = ()


@dataclass(slots=True)
class _Groups:
    """The nearby stories as sums of their members' IDF-weighted unit vectors, kept in step
    while members move. A young story's sum holds its originals that have a kept vector; an
    older story's sum is its (truncated) centroid, IDF weighted, and gives no member away."""

    vector: dict[int, Sparse] = field(default_factory=dict)  # member -> its kept term vector
    share: dict[int, Sparse] = field(default_factory=dict)  # member -> its part of a sum
    length: dict[int, float] = field(default_factory=dict)  # member -> norm of its share
    direction: dict[int, Sparse] = field(default_factory=dict)  # member -> share / length
    home: dict[int, int] = field(default_factory=dict)  # member -> its story before revisiting
    owner: dict[int, int] = field(default_factory=dict)  # member -> its story now
    sums: dict[int, Sparse] = field(default_factory=dict)  # story id -> sum of its shares
    norm2: dict[int, float] = field(default_factory=dict)  # story id -> squared norm of sum
    count: dict[int, int] = field(default_factory=dict)  # story id -> originals in its sum
    leads: dict[int, dict[str, int]] = field(default_factory=dict)  # member -> lead_counts
    profile: dict[int, dict[str, int]] = field(default_factory=dict)  # story id -> its leads

    def add_member(
        self, member: int, story_id: int, vector: Sparse, stats: TermStats, leads: dict[str, int]
    ) -> None:
        self.vector[member] = vector
        self.leads[member] = leads
        share = {t: w * stats.idf(t) for t, w in unit_tf(vector).items()}
        length = math.sqrt(sum(w * w for w in share.values()))
        self.share[member], self.length[member] = share, length
        self.direction[member] = {t: w / length for t, w in share.items()} if length else {}
        self.home[member] = self.owner[member] = story_id

    def add_story(
        self, story_id: int, total: Sparse, count: int, profile: dict[str, int] | None = None
    ) -> None:
        self.sums[story_id], self.count[story_id] = total, count
        self.norm2[story_id] = _norm2(total)
        self.profile[story_id] = {} if profile is None else profile

    def members(self, story_id: int) -> list[int]:
        """The members a story holds now, in the order they were listed."""
        return [m for m, sid in self.owner.items() if sid == story_id]

    def move(self, member: int, target: int) -> None:
        source = self.owner[member]
        add_into(self.sums[source], self.share[member], -1.0)
        add_into(self.sums[target], self.share[member])
        for sid in (source, target):
            self.norm2[sid] = _norm2(self.sums[sid])
        self.count[source] -= 1
        self.count[target] += 1
        self.owner[member] = target
        # Profiles here are exact; the story keeps only its heaviest leads (_apply).
        add_counts(self.profile[source], self.leads[member], None, sign=-1)
        add_counts(self.profile[target], self.leads[member], None)

    def fit_to_own(self, member: int) -> float:
        """The member's cosine with its own story without it (0.0 when it is alone)."""
        own = self.owner[member]
        length = self.length[member]
        mine = dot(self.direction[member], self.sums[own])
        rest = self.norm2[own] - 2 * length * mine + length**2
        if self.count[own] <= 1 or rest <= 1e-12:
            return 0.0
        return (mine - length) / math.sqrt(rest)

    def fit_to(self, member: int, story_id: int) -> float:
        """The member's cosine with a story it is not in (0.0 for an empty story)."""
        norm2 = self.norm2[story_id]
        return dot(self.direction[member], self.sums[story_id]) / math.sqrt(norm2) if norm2 else 0.0

    def alike(self, a: int, b: int) -> float:
        """The cosine of two stories' sums (0.0 when either is empty)."""
        both = self.norm2[a] * self.norm2[b]
        return dot(self.sums[a], self.sums[b]) / math.sqrt(both) if both else 0.0


def _norm2(vector: Sparse) -> float:
    return sum(w * w for w in vector.values())


def revisit(
    clusterer: StoryClusterer, joined_id: int, scored: Iterable[tuple[float, Story]]
) -> Regrouped:
    """Re-place the members of the young stories near a doc that just joined ``joined_id``
    (``scored``: the stories the doc was scored against, best first); see the module
    docstring. Changes the clusterer and returns what changed."""
    s = clusterer.settings
    near = [clusterer.story_by_id[joined_id]]
    for score, story in scored:
        if len(near) > s.revisit_stories or score < s.revisit_floor:
            break
        if story.id != joined_id and story.id in clusterer.story_by_id:
            near.append(story)
    young = {story.id for story in near if story.originals <= s.young_size}
    if not young or (len(near) == 1 and s.split_below <= 0.0):
        return Regrouped()
    groups = _groups(clusterer, near, young)
    stories = {story.id: story for story in near}
    _move_members(clusterer, groups, stories)
    fresh = None
    if joined_id in young and s.split_below > 0.0:
        fresh = _split(clusterer, groups, stories[joined_id])
    if s.revisit_merge <= 1.0:
        _merge_alike(groups, stories, young, joined_id, s.revisit_merge)
    return _apply(clusterer, groups, stories, young, fresh)


def _groups(clusterer: StoryClusterer, near: list[Story], young: set[int]) -> _Groups:
    """The sums of the nearby stories, with the young stories' originals as movable members."""
    docs = clusterer.docs
    originals = {
        story.id: [m for m in story.members if docs.original(m) is None]
        for story in near
        if story.id in young
    }
    vectors = clusterer.vectors.get([m for members in originals.values() for m in members])
    groups = _Groups()
    for story in near:
        if story.id not in young:
            centroid = story.centroid()
            total = {t: w * clusterer.stats.idf(t) for t, w in centroid.items()}
            groups.add_story(story.id, total, story.originals, dict(story.leads))
            continue
        kept = [m for m in originals[story.id] if m in vectors]
        profile: dict[str, int] = {}
        for m in kept:
            leads = lead_counts(docs.leads_of(m))
            groups.add_member(m, story.id, vectors[m], clusterer.stats, leads)
            add_counts(profile, leads, None)
        total = {}
        for m in kept:
            add_into(total, groups.share[m])
        groups.add_story(story.id, total, len(kept), profile)
    return groups


def _move_members(clusterer: StoryClusterer, groups: _Groups, stories: dict[int, Story]) -> None:
    """Move each member to the nearby story it fits best, when that beats its own story by
    ``move_margin`` (a member alone in its story must clear what joining that story asks)."""
    s = clusterer.settings
    docs = clusterer.docs
    for _ in range(PASSES):
        changed = False
        for m in list(groups.owner):
            own = groups.owner[m]
            stay = groups.fit_to_own(m)
            when = docs.when[docs.row[m]]
            best, target = 0.0, own
            for sid, story in stories.items():
                if sid == own or not groups.norm2[sid]:
                    continue
                score = groups.fit_to(m, sid)
                score += lead_term(s.weights, groups.leads[m], groups.profile[sid])
                if not math.isnan(when):
                    gap = gap_days(when, story.first, story.last)
                    score *= time_factor(gap, s.window_days, s.weights.time_decay)
                if groups.count[own] > 1:
                    need = stay + s.move_margin
                else:
                    need = s.threshold + s.young_margin / max(groups.count[sid], 1)
                if score >= s.threshold and score > need and score > best:
                    best, target = score, sid
            if target != own:
                groups.move(m, target)
                changed = True
        if not changed:
            break


def _split(clusterer: StoryClusterer, groups: _Groups, story: Story) -> int | None:
    """Part the joined story in two when its members form two groups at least ``split_min``
    strong whose sums (plus what the items they share would add) are less alike than
    ``split_below``; the later group moves to a new story. Returns the new story's id."""
    s = clusterer.settings
    if groups.count[story.id] < 2 * s.split_min:
        return None
    halves = _bisect(groups.members(story.id), groups)
    if halves is None:
        return None
    first, second = halves
    if min(len(first), len(second)) < s.split_min:
        return None
    a: Sparse = {}
    b: Sparse = {}
    for m in first:
        add_into(a, groups.share[m])
    for m in second:
        add_into(b, groups.share[m])
    norms = math.sqrt(_norm2(a) * _norm2(b))
    alike = dot(a, b) / norms if norms else 0.0
    shared = _shared_bonus(story, s.weights) * bonus_share(s.weights, story.first)
    if alike + shared >= s.split_below:
        return None
    used = (clusterer.story_by_id, clusterer.merged_into, groups.sums)
    fresh = next((m for m in second if all(m not in ids for ids in used)), None)
    if fresh is None:
        return None
    groups.add_story(fresh, {}, 0)
    for m in second:
        groups.move(m, fresh)
    return fresh


def _shared_bonus(story: Story, weights: Weights) -> float:
    """What the actors, events and places most of a story's members share would add to the
    similarity of its two halves (the bonus joining counted), estimated from the story's
    counts: each kind's most counted item, as a share of its originals."""
    n = max(story.originals, 1)
    actors, events, places = (
        min(1.0, max(items.values(), default=0) / n)
        for items in (story.actors, story.events, story.places)
    )
    return weights.actors * actors + weights.events * events + weights.places * places


def _bisect(members: list[int], groups: _Groups) -> tuple[list[int], list[int]] | None:
    """Two groups of a story's members by 2-means on their vectors, seeded by the member least
    like the rest and the member least like that one; the group holding the earliest member
    first. None when the members do not part."""
    if len(members) < 2:
        return None
    direction = groups.direction
    total: Sparse = {}
    for m in members:
        add_into(total, groups.share[m])
    p = min(members, key=lambda m: (dot(direction[m], total), m))
    q = min((m for m in members if m != p), key=lambda m: (dot(direction[m], direction[p]), m))
    centres = [direction[p], direction[q]]
    parts: tuple[list[int], list[int]] = ([], [])
    for _ in range(BISECT_ROUNDS):
        fresh: tuple[list[int], list[int]] = ([], [])
        for m in members:
            side = 0 if dot(direction[m], centres[0]) >= dot(direction[m], centres[1]) else 1
            fresh[side].append(m)
        if not fresh[0] or not fresh[1]:
            return None
        if fresh == parts:
            break
        parts = fresh
        centres = []
        for part in parts:
            centre: Sparse = {}
            for m in part:
                add_into(centre, groups.share[m])
            norm = math.sqrt(_norm2(centre))
            centres.append({t: w / norm for t, w in centre.items()} if norm else centre)
    first, second = parts
    if members.index(second[0]) < members.index(first[0]):
        first, second = second, first
    return first, second


def _merge_alike(
    groups: _Groups, stories: dict[int, Story], young: set[int], joined_id: int, alike: float
) -> None:
    """Move every member of a young nearby story into the joined story (or the joined story's
    into it) when their sums are at least ``alike`` similar; the older story keeps them."""
    for sid in list(stories):
        if sid == joined_id or not groups.count[sid] or not groups.count[joined_id]:
            continue
        if sid not in young and joined_id not in young:
            continue
        if groups.alike(sid, joined_id) >= alike:
            keep, gone = sorted((sid, joined_id), key=lambda i: stories[i].seq)
            if gone not in young:
                continue
            for m in groups.members(gone):
                groups.move(m, keep)
            joined_id = keep


def _apply(
    clusterer: StoryClusterer,
    groups: _Groups,
    stories: dict[int, Story],
    young: set[int],
    fresh: int | None,
) -> Regrouped:
    """Carry out the moves decided: members, spans and centroids of every story that gained
    or lost one; a story left empty ends, its id resolving to where most of its members went."""
    moving = [m for m, sid in groups.owner.items() if sid != groups.home[m]]
    if not moving:
        return Regrouped()
    if fresh is not None:
        stories[fresh] = clusterer.open_story(fresh)
        young = young | {fresh}
    docs, row, terms = clusterer.docs, clusterer.docs.row, clusterer.settings.centroid_terms
    touched = {groups.owner[m] for m in moving} | {groups.home[m] for m in moving}
    moved: list[int] = []
    for m in moving:
        for doc in (m, *clusterer.copies.get(m, ())):
            docs.stories[row[doc]] = groups.owner[m]
            moved.append(doc)
    ended: list[int] = []
    for sid in sorted(touched, key=lambda i: stories[i].seq):
        story = stories[sid]
        incoming = groups.members(sid)
        if sid in young:  # members without a kept vector stay where they were
            unread = [m for m in story.members if m not in groups.owner]
            mine = incoming + [m for m in unread if docs.original(m) is None]
        else:
            mine = [m for m in story.members if docs.original(m) is None] + incoming
        story.members = sorted(
            {d for m in mine for d in (m, *clusterer.copies.get(m, ()))}, key=row.__getitem__
        )
        story.originals = len(mine)
        if not mine:
            left = [m for m, sid_before in groups.home.items() if sid_before == sid]
            into = max(
                (i for i in stories if i != sid),
                key=lambda i: (sum(1 for m in left if groups.owner[m] == i), -stories[i].seq),
            )
            clusterer.retire(story, into)
            ended.append(sid)
            continue
        story.first = story.last = None
        for d in story.members:
            when = docs.when[row[d]]
            story.see(None if math.isnan(when) else when)
        if sid in young:  # rebuilt from its members; an older story only gains the incoming
            story.leads = {}
        centroid: Sparse = {} if sid in young else story.centroid()
        for m in mine if sid in young else incoming:
            add_counts(story.leads, lead_counts(docs.leads_of(m)), clusterer.settings.max_items)
            if m in groups.vector:
                add_into(centroid, unit_tf(groups.vector[m]))
        clusterer.set_centroid(story, truncate(centroid, clusterer.stats, terms))
    return Regrouped(ended=tuple(ended), moved=tuple(moved))
