"""When a new article makes earlier ones change story (a move, a split, an emptied story), the
store follows the clusterer, the listing shows the new stories, and a recluster agrees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.model import Article, DuplicateLink, Published
from newsdesk.service.stories import StoryDesk
from newsdesk.store import Store

T0 = datetime(2025, 3, 1, tzinfo=UTC)
DAM = "Alderton dam breach Meyer engineers levee collapse reservoir spillway"
FERRY = "Brookvale ferry Okafor capsized passengers missing coastguard divers harbour"


def add(desk: StoryDesk, title: str, text: str, *, copy_of: int | None = None) -> int:
    """Store an article (``copy_of``: as a copy of that one) and give it to the story desk."""
    store = desk.store
    n = len(store.article_ids())
    article = Article(url=f"https://news{n}.example/a", canonical_url=f"https://news{n}.example/a",
                      domain=f"news{n}.example", title=title, text=text,
                      published=Published(value=T0 + timedelta(hours=n)))  # fmt: skip
    link = (
        None if copy_of is None else DuplicateLink(original_id=copy_of, similarity=1.0, exact=True)
    )
    article_id = store.add_article(article, text_hash=str(n), minhash=None, duplicate_of=link)
    desk(article_id, article, None)
    desk.stories(limit=None)  # cached listings and related views must not outlive a move
    desk.related(article_id)
    return article_id


def two_storms(desk: StoryDesk) -> list[int]:
    """An overview of two disasters, then reports of each in turn: the overview's story takes
    in both until it splits. The first dam report has a syndicated copy."""
    ids = [add(desk, "Storms: dam breach and ferry disaster", f"{DAM} {FERRY} storm.")]
    for n in range(8):
        own = DAM if n % 2 == 0 else FERRY
        words = own.split()
        ids.append(add(desk, " ".join(words[:4]), f"{own} {words[n % len(words)]} storm {n}."))
        if n == 0:
            ids.append(
                add(desk, " ".join(words[:4]), f"{own} {words[0]} storm 0.", copy_of=ids[-1])
            )
    return ids


def spillway(desk: StoryDesk) -> list[int]:
    """A report that opens its own story until a later, broader one shows it is the same."""
    return [
        add(desk, "Parliament budget vote", "Parliament budget vote minister taxes deficit."),
        add(desk, "Alderton dam breach", "Alderton dam breach: the levee collapsed."),
        add(desk, "Engineers inspect spillway", "Engineers led by Meyer inspect the spillway of "
            "the Alderton reservoir after the flood warning."),
        add(desk, "Football cup final", "Football cup final striker goal penalty stadium fans."),
        add(desk, "Alderton dam breach: engineers blame spillway", "Alderton dam breach: Meyer "
            "and engineers say the spillway failed before the levee collapsed; reservoir "
            "emptied, flood warning."),
    ]  # fmt: skip


def assert_store_follows(desk: StoryDesk) -> None:
    """Every article is where the clusterer put it, and each story's counts match."""
    clusterer = desk.clusterer
    for article_id in desk.store.article_ids():
        assert desk.store.stories.story_of(article_id) == clusterer.story_of(article_id)
        assert desk.related(article_id).story_id == clusterer.story_of(article_id)
    listed = {x.story.id: x for x in desk.stories(limit=None)}
    live = clusterer.stories()
    assert set(listed) == set(live)
    for story_id, members in live.items():
        assert sorted(m.article_id for m in listed[story_id].members) == sorted(members)
        assert listed[story_id].story.article_count == len(members)


def memberships(desk: StoryDesk) -> dict[int, tuple[frozenset[int], str | None]]:
    return {
        x.story.id: (frozenset(m.article_id for m in x.members), x.story.title)
        for x in desk.stories(limit=None)
    }


def test_a_split_story_is_listed_as_two_stories_and_copies_go_along(store: Store) -> None:
    desk = StoryDesk(store)
    overview, dam, copy, *rest = two_storms(desk)
    assert_store_follows(desk)
    dams = {dam, copy, *rest[1::2]}
    ferries = {overview, *rest[0::2]}  # the overview stays with the story it opened
    listed = memberships(desk)
    assert {members for members, _ in listed.values()} == {frozenset(dams), frozenset(ferries)}
    assert desk.resolve(overview) == overview
    assert desk.resolve(dam) == dam, "a split-off story's id is its first article's"
    assert store.stories.story(dam).article_count == len(dams)
    assert store.stories.story(overview).article_count == len(ferries)
    assert store.stories.members(dam)[1].duplicate_of == dam


def test_an_emptied_story_resolves_to_where_its_article_went(store: Store) -> None:
    desk = StoryDesk(store)
    _, breach, engineers, _, broader = spillway(desk)
    assert_store_follows(desk)
    assert desk.story_of(engineers) == desk.story_of(broader) == breach
    assert desk.resolve(engineers) == breach, "the story the report opened ended in the other"
    assert store.stories.story(engineers).merged_into == breach
    assert engineers in store.stories.merged_ids(breach)
    assert desk.article_ids(engineers) == [breach, engineers, broader]


def test_recluster_makes_the_same_moves(store: Store) -> None:
    desk = StoryDesk(store)
    two_storms(desk)
    spillway(desk)
    online = memberships(desk)
    desk.recluster()
    assert memberships(desk) == online
    assert_store_follows(desk)
    reopened = StoryDesk(store)  # the saved state reloaded
    assert memberships(reopened) == online
    assert_store_follows(reopened)
