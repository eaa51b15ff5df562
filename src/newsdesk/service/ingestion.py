"""One raw document in, one stored article (or a clear outcome) out: the heart of ingest."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from newsdesk.dedup import (
    NearDuplicateIndex,
    Signature,
    signature,
    similarity_to_stored,
    text_hash,
    to_bytes,
)
from newsdesk.errors import InputError, NewsdeskError, StageError
from newsdesk.ingest.decoding import decode_html, decode_text
from newsdesk.model import (
    Article,
    DuplicateLink,
    ItemResult,
    Outcome,
    RawDocument,
    RawKind,
)
from newsdesk.pipeline import Pipeline
from newsdesk.service.actoredits import apply_actor_edits
from newsdesk.store import Store
from newsdesk.urls import canonical_url


class ProgressSink(Protocol):
    """Where ingest reports its progress: a terminal bar, a log, a test list."""

    def expect(self, count: int) -> None:
        """``count`` more items are coming."""

    def done(self, result: ItemResult) -> None:
        """One item is finished."""


class NoProgress:
    """A sink that ignores progress."""

    def expect(self, count: int) -> None:
        """Ignore."""

    def done(self, result: ItemResult) -> None:
        """Ignore."""


@dataclass(slots=True)
class IngestReport:
    """Per-item outcomes of one ingest run."""

    results: list[ItemResult] = field(default_factory=list)

    def add(self, result: ItemResult) -> ItemResult:
        """Record one outcome."""
        self.results.append(result)
        return result

    def counts(self) -> Counter[Outcome]:
        """How many items ended in each outcome."""
        return Counter(r.outcome for r in self.results)

    @property
    def failed(self) -> list[ItemResult]:
        """The items that could not be stored."""
        return [r for r in self.results if r.outcome is Outcome.FAILED]


def document_url(doc: RawDocument) -> str:
    """The address a document is known by: its URL, a container's, or its file's URI."""
    if doc.url:
        return doc.url
    if hinted := doc.hint("url"):
        return hinted
    path, _, fragment = doc.origin.partition("#")
    if "://" in path:
        return doc.origin
    uri = Path(path).resolve().as_uri()
    return f"{uri}#{fragment}" if fragment else uri


def to_article(doc: RawDocument, *, sha256: str | None = None) -> Article:
    """The unprocessed article for a raw document: its bytes decoded to text."""
    try:
        if doc.kind is RawKind.HTML:
            raw, _ = decode_html(doc.body, declared=doc.encoding)
        elif doc.kind is RawKind.TEXT:
            raw, _ = decode_text(doc.body)
        else:
            raw = doc.body.decode("utf-8")
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(doc.origin, f"cannot decode: {exc}") from exc
    return Article(
        url=document_url(doc),
        source=doc.origin,
        raw_sha256=sha256 or doc.sha256,
        raw_kind=doc.kind,
        raw=raw,
        hints=doc.hints,
    )


class StoredListener(Protocol):
    """Told about every article the ingestor stores or redoes (stories, alerts).

    ``result`` is the item's outcome; for a reprocessed article it is None. A listener that
    raises does not undo the stored article: the error is logged against the item.
    """

    def __call__(self, article_id: int, article: Article, result: ItemResult | None) -> None: ...


class Ingestor:
    """Runs the pipeline on raw documents and stores the results, deduplicated.

    Every item is committed on its own, so an interrupted run loses at most the item in
    flight; running the same input again finds what is stored and makes it a no-op.
    """

    def __init__(
        self, store: Store, pipeline: Pipeline, listeners: Sequence[StoredListener] = ()
    ) -> None:
        self.store = store
        self.pipeline = pipeline
        self.listeners: list[StoredListener] = list(listeners)
        self.index = NearDuplicateIndex()
        for article_id, blob in store.minhashes():
            self.index.add_stored(article_id, blob)

    def fail(self, item: str, reason: str, doc: RawDocument | None = None) -> ItemResult:
        """Record a failed item; its raw bytes, when there are any, are kept for a retry."""
        sha = self.store.save_raw(doc) if doc is not None and doc.body else None
        self.store.log(item, Outcome.FAILED, reason=reason, raw_sha256=sha)
        return ItemResult(origin=item, outcome=Outcome.FAILED, reason=reason)

    def unchanged(self, doc: RawDocument, article_id: int, why: str) -> ItemResult:
        """An item already stored: nothing is written but the log line."""
        self.store.log(doc.origin, Outcome.UNCHANGED, reason=why, article_id=article_id)
        return ItemResult(
            origin=doc.origin, outcome=Outcome.UNCHANGED, article_id=article_id, reason=why
        )

    def ingest(self, doc: RawDocument) -> ItemResult:
        """Extract, deduplicate and store one document."""
        sha = doc.sha256
        if (known := self.store.article_id_for_raw(sha)) is not None:
            return self.unchanged(doc, known, "same content already stored")
        if doc.url and (known := self.store.article_id_for_url(canonical_url(doc.url))):
            return self.unchanged(doc, known, "same URL already stored")
        try:
            article = self.pipeline(to_article(doc, sha256=sha))
            article = apply_actor_edits(article, self.store.actors.alias_map())
        except InputError as exc:
            return self.fail(doc.origin, exc.reason, doc)
        except StageError as exc:
            return self.fail(doc.origin, f"{exc.stage}: {exc.reason}", doc)
        if (known := self.store.article_id_for_url(article.canonical_url)) is not None:
            return self.unchanged(doc, known, "same URL already stored")
        hashed = text_hash(article.text)
        duplicate = self._exact_copy(article, hashed)
        if isinstance(duplicate, int):
            return self.unchanged(doc, duplicate, "same text from the same outlet already stored")
        minhash = signature(article.text)
        if duplicate is None and (match := self.index.best_match(minhash)):
            duplicate = DuplicateLink(original_id=match[0], similarity=match[1], exact=False)
        replaced = None
        if duplicate is not None and self._published_earlier(article, duplicate.original_id):
            replaced, duplicate = duplicate.original_id, None
        self.store.save_raw(doc)
        article_id = self.store.add_article(
            article, text_hash=hashed, minhash=to_bytes(minhash), duplicate_of=duplicate
        )
        self.store.actors.record(article_id, article.actors, article.published.value)
        if duplicate is None:
            self.index.add(article_id, minhash)
            outcome = Outcome.NEW
            if replaced is not None:
                self._take_over(replaced, article_id, hashed, minhash)
        else:
            outcome = Outcome.DUPLICATE if duplicate.exact else Outcome.NEAR_DUPLICATE
        self.store.log(doc.origin, outcome, article_id=article_id, raw_sha256=sha)
        result = ItemResult(
            origin=doc.origin,
            outcome=outcome,
            article_id=article_id,
            title=article.title,
            duplicate_of=duplicate.original_id if duplicate else None,
            similarity=duplicate.similarity if duplicate else None,
        )
        self._tell(article_id, article, result, doc.origin)
        return result

    def _tell(
        self, article_id: int, article: Article, result: ItemResult | None, origin: str
    ) -> None:
        """Run the listeners; a failing one is logged, and the others still run."""
        for listener in self.listeners:
            try:
                listener(article_id, article, result)
            except NewsdeskError as exc:
                name = getattr(listener, "__name__", type(listener).__name__)
                self.store.log(
                    origin, Outcome.FAILED, reason=f"{name}: {exc}", article_id=article_id
                )

    def _published_earlier(self, article: Article, original_id: int) -> bool:
        """Whether ``article`` was published before the article it copies: then it is the
        original (a wire story read after its syndicated copies), whatever the ingest order."""
        mine = article.published
        theirs = self.store.article(original_id).article.published
        if mine.value is None or theirs.value is None:
            return False
        if mine.date_only or theirs.date_only:  # a bare day says nothing about the hour
            return mine.value.date() < theirs.value.date()
        return mine.value < theirs.value

    def _take_over(self, old_id: int, new_id: int, hashed: str, minhash: Signature) -> None:
        """Make ``new_id`` the original of ``old_id`` and of every copy linked to it."""
        links: dict[int, DuplicateLink] = {}
        for article_id in (old_id, *self.store.copies_of(old_id)):
            their_hash, blob = self.store.copy_facts(article_id)
            exact = their_hash == hashed
            similarity = 1.0 if exact or blob is None else similarity_to_stored(minhash, blob)
            links[article_id] = DuplicateLink(
                original_id=new_id, similarity=float(similarity), exact=exact
            )
        self.store.relink_copies(links)
        self.index.remove(old_id)

    def _exact_copy(self, article: Article, hashed: str) -> DuplicateLink | int | None:
        """A link to the original of an exact copy from another outlet; an id when the same
        outlet already has this text (a second URL for one article); None for new text."""
        same = self.store.articles_with_text_hash(hashed)
        if not same:
            return None
        for article_id, domain in same:
            if domain == article.domain:
                return article_id
        first = self.store.article(same[0][0])
        original = first.duplicate_of.original_id if first.duplicate_of else first.id
        return DuplicateLink(original_id=original, similarity=1.0, exact=True)

    def reprocess(self, article_id: int, *, force: bool = False, stage: str | None = None) -> bool:
        """Re-run the pipeline on a stored article's raw document when a stage is stale: any
        stage, or only ``stage`` when one is named. Returns whether the article was redone."""
        stored = self.store.article(article_id)
        if not force and not self.pipeline.is_stale(stored.article, stage=stage):
            return False
        if stored.article.raw_sha256 is None:
            return False
        doc = self.store.raw(stored.article.raw_sha256)
        article = self.pipeline(to_article(doc))
        article = apply_actor_edits(article, self.store.actors.alias_map())
        article = dataclasses.replace(article, canonical_url=stored.article.canonical_url)
        self.store.replace_article(article_id, article, text_hash=text_hash(article.text))
        self.store.actors.forget_article(article_id)
        self.store.actors.record(article_id, article.actors, article.published.value)
        self._tell(article_id, article, None, stored.article.source)
        return True
