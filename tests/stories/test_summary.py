"""Extractive summaries: central sentences, each citing its article, no near-duplicates."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.model import Article, DuplicateLink, Published, StoredArticle
from newsdesk.stories.summary import central_title, sentence_spans, summarise

TALKS = (
    "Russian and Ukrainian delegations met in Istanbul on Friday for their first direct talks"
    " in three years. The talks at the Dolmabahce palace lasted less than two hours. He said"
    " nothing else about the talks in Istanbul or the delegations that met there. Both"
    " delegations agreed to exchange a thousand prisoners each after the Istanbul talks."
)
SWAP = (
    "Russia and Ukraine agreed in Istanbul to exchange a thousand prisoners each, the largest"
    " swap of the war. Families of prisoners gathered in Kyiv hoping for news of the exchange."
    " Russian and Ukrainian delegations met in Istanbul on Friday for their first direct talks"
    " in three years."
)
WEATHER = "Rain is expected across the north of the country with strong winds along the coast."


def stored(article_id: int, text: str, *, copy_of: int | None = None) -> StoredArticle:
    article = Article(
        url=f"https://x.example/{article_id}", title=f"article {article_id}", site="Ledger",
        text=text, published=Published(value=datetime(2025, 5, article_id, tzinfo=UTC)),
    )  # fmt: skip
    link = DuplicateLink(original_id=copy_of, similarity=1.0, exact=True) if copy_of else None
    return StoredArticle(
        id=article_id, article=article, ingested_at=datetime(2025, 6, 1, tzinfo=UTC),
        duplicate_of=link,
    )  # fmt: skip


def test_sentence_spans_point_into_the_text() -> None:
    spans = sentence_spans(TALKS)
    assert len(spans) == 4
    assert TALKS[spans[1][0] : spans[1][1]].startswith("The talks at the Dolmabahce")


def test_every_sentence_is_from_its_cited_article_and_none_repeats() -> None:
    articles = [stored(1, TALKS), stored(2, SWAP), stored(3, SWAP, copy_of=2)]
    summary = summarise(articles)
    assert 3 <= len(summary) <= 5
    texts = {a.id: a.article.text for a in articles}
    for sentence in summary:
        assert texts[sentence.article_id][sentence.start : sentence.end] == sentence.text
        assert sentence.article_id != 3  # copies are never cited over their original
    # The lead sentence appears in both originals: the summary keeps it once.
    assert sum("first direct talks" in s.text for s in summary) == 1
    # A sentence leaning on an earlier one ("He said ...") is never taken out of context.
    assert not any(s.text.startswith("He ") for s in summary)


def test_central_sentences_win_over_off_topic_ones() -> None:
    summary = summarise([stored(1, TALKS), stored(2, SWAP + " " + WEATHER)])
    assert all("Rain" not in s.text for s in summary)


def test_central_title_is_the_headline_closest_to_the_others() -> None:
    titles = [
        (1, "Weather: rain across the north"),
        (2, "Russia and Ukraine agree prisoner swap in Istanbul"),
        (3, "Istanbul talks end with prisoner swap"),
        (4, "Prisoner swap agreed at Istanbul talks"),
    ]
    assert central_title(titles) in (3, 4)
    assert central_title([]) is None


def test_no_text_no_summary() -> None:
    assert summarise([stored(1, "")]) == []
