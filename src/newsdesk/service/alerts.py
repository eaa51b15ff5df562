"""Watchlists and alerts: match each stored article against the active watches and notify.

A watch follows an actor (by canonical key, through the store's alias map, so a merge or an
alias made later still counts), a keyword (a case-insensitive phrase on word boundaries in the
title or text) or an event type (optionally with one status). Ingest calls
:meth:`Watchlists.send_alerts` after each stored or reprocessed article; an article fires a
watch at most once, a syndicated or edited copy never fires, and a failed delivery is kept
with its error without stopping ingest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Protocol

from newsdesk.errors import ConfigError, StoreError
from newsdesk.ingest.webhooks import DeliveryError, Notification, Notifier
from newsdesk.model import Article, EventStatus, ItemResult
from newsdesk.names import slug
from newsdesk.store import Store
from newsdesk.store.watchlists import Alert, Watch, WatchKind

_CONTEXT = 60  # characters either side of a keyword shown in an alert


class Sender(Protocol):
    """Delivers a notification to a URL or raises :class:`DeliveryError`."""

    def send(self, url: str, note: Notification) -> None: ...


@dataclass(frozen=True, slots=True)
class WatchMatch:
    """A watch an article fired, and what in the article made it fire."""

    watch: Watch
    matched: str


@lru_cache(maxsize=256)
def keyword_pattern(phrase: str) -> re.Pattern[str]:
    """``phrase`` as a case-insensitive regex: its words in order, any whitespace between them,
    not inside a longer word ("talks" does not match "talkshow")."""
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _keyword_match(phrase: str, article: Article) -> str | None:
    pattern = keyword_pattern(phrase)
    if article.title and pattern.search(article.title):
        return f'keyword "{phrase}" in the title: {article.title}'
    found = pattern.search(article.text)
    if found is None:
        return None
    start, end = max(0, found.start() - _CONTEXT), min(len(article.text), found.end() + _CONTEXT)
    context = " ".join(article.text[start:end].split())
    ellipsis_before, ellipsis_after = "…" if start else "", "…" if end < len(article.text) else ""
    return f'keyword "{phrase}" in the text: {ellipsis_before}{context}{ellipsis_after}'


def match_article(
    article: Article, watches: Sequence[Watch], alias_map: Mapping[str, str]
) -> list[WatchMatch]:
    """The watches ``article`` fires, each with a one-line account of what matched."""
    actors = {alias_map.get(a.key, a.key): a for a in article.actors}
    found: list[WatchMatch] = []
    for watch in watches:
        matched: str | None = None
        if watch.kind == "actor":
            actor = actors.get(alias_map.get(watch.value, watch.value))
            if actor is not None:
                matched = f"actor {actor.name} ({watch.value})"
        elif watch.kind == "keyword":
            matched = _keyword_match(watch.value, article)
        elif watch.kind == "event":
            for event in article.events:
                if event.type.upper() == watch.value and watch.status in (None, event.status):
                    label = event.summary or article.text[event.start : event.end]
                    matched = f"event {event.type} ({event.status}): {label.strip()}"
                    break
        if matched is not None:
            found.append(WatchMatch(watch, matched))
    return found


def notification(
    watch: Watch,
    *,
    matched: str,
    article_id: int | None = None,
    article: Article | None = None,
    alert_id: int | None = None,
) -> Notification:
    """The alert for ``watch``: a webhook payload, and a title and body for apprise.
    Without an article it is a test notification."""
    described: dict[str, Any] | None = None
    if article is not None:
        published = article.published.value
        described = {
            "id": article_id,
            "title": article.title,
            "url": article.canonical_url or article.url,
            "outlet": article.site or article.domain,
            "published": published.isoformat() if published else None,
        }
    payload = {
        "type": "newsdesk.alert" if article is not None else "newsdesk.test",
        "alert_id": alert_id,
        "watch": {"id": watch.id, "kind": watch.kind, "value": watch.value,
                  "status": watch.status},
        "article": described,
        "matched": matched,
        "sent_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }  # fmt: skip
    if article is None or described is None:
        return Notification(title=f"newsdesk test: {watch.describe()}", body=matched,
                            payload=payload)  # fmt: skip
    lines = [matched, str(described["url"])]
    if described["outlet"]:
        lines.insert(0, f"{described['outlet']}, {described['published'] or 'undated'}")
    return Notification(
        title=f"newsdesk: {article.title or 'untitled article'}",
        body="\n".join(lines),
        payload=payload,
    )


class Watchlists:
    """The watches a user keeps and the alerts ingest sends for them."""

    def __init__(
        self, store: Store, *, sender: Sender | None = None, allow_private: bool = False
    ) -> None:
        self.store = store
        self.sender: Sender = sender or Notifier(allow_private=allow_private)

    # management --------------------------------------------------------------------------------

    def add(self, kind: WatchKind, value: str, notify: str, *, status: str | None = None) -> Watch:
        """Start watching; ConfigError when the watch makes no sense."""
        value = value.strip()
        notify = notify.strip()
        if "://" not in notify:
            raise ConfigError(f"notify must be a webhook (http/https) or apprise URL: {notify!r}")
        if status is not None and kind != "event":
            raise ConfigError("--status only goes with an event type")
        if kind == "actor":
            value = self._actor_key(value)
        elif kind == "keyword":
            if not re.search(r"\w", value):
                raise ConfigError(f"keyword {value!r} has no word in it")
            value = " ".join(value.split())
        elif kind == "event":
            if not re.fullmatch(r"[A-Za-z_]+", value):
                raise ConfigError(f"event type {value!r} is not a PLOVER type such as CONSULT")
            value = value.upper()
            if status is not None:
                status = status.lower()
                if status not in {s.value for s in EventStatus}:
                    known = ", ".join(s.value for s in EventStatus)
                    raise ConfigError(f"unknown event status {status!r} (one of {known})")
        else:
            raise ConfigError(f"unknown watch kind {kind!r}")
        return self.store.watchlists.add(kind, value, notify, status=status)

    def _actor_key(self, value: str) -> str:
        """The canonical key for an actor named by key, alias or name form; a name newsdesk
        has not seen yet is kept in key form so the watch fires when the actor first appears."""
        key = slug(value)
        if not key:
            raise ConfigError(f"actor {value!r} has no name in it")
        try:
            return self.store.actors.get(key).actor.key
        except StoreError as exc:
            if str(exc).startswith("no actor"):
                return self.store.actors.alias_map().get(key, key)
            raise ConfigError(str(exc)) from exc

    def watches(self) -> list[Watch]:
        """Every watch, oldest first."""
        return self.store.watchlists.watches()

    def watch(self, watch_id: int) -> Watch:
        """One watch; StoreError when there is none with that id."""
        return self.store.watchlists.get(watch_id)

    def remove(self, watch_id: int) -> bool:
        """Stop watching and forget the watch's alerts; False when there was no such watch."""
        return self.store.watchlists.remove(watch_id)

    def set_active(self, watch_id: int, active: bool) -> Watch:
        """Pause or resume a watch."""
        return self.store.watchlists.set_active(watch_id, active)

    def alerts(self, *, watch_id: int | None = None, limit: int = 50) -> list[Alert]:
        """The latest alerts with their delivery state, newest first."""
        return self.store.watchlists.alerts(watch_id=watch_id, limit=limit)

    def test(self, watch_id: int) -> Watch:
        """Send a test notification to a watch's URL; raises DeliveryError when it fails."""
        watch = self.watch(watch_id)
        self.sender.send(
            watch.notify,
            notification(watch, matched=f"test notification for the watch {watch.describe()}"),
        )
        return watch

    # the ingest listener -------------------------------------------------------------------

    def send_alerts(self, article_id: int, article: Article, result: ItemResult | None) -> None:
        """Fire the watches a stored or reprocessed article matches (a ``StoredListener``)."""
        if result is not None and result.duplicate_of is not None:
            return  # a syndicated or edited copy: its original already fired
        watches = self.store.watchlists.watches(active_only=True)
        if not watches:
            return
        if result is None:  # reprocessed: an old article only fires watches older than it
            stored = self.store.article(article_id)
            if stored.duplicate_of is not None:
                return
            watches = [w for w in watches if w.created_at <= stored.ingested_at]
        needs_aliases = any(w.kind == "actor" for w in watches)
        alias_map = self.store.actors.alias_map() if needs_aliases else {}
        matches = match_article(article, watches, alias_map)
        copies = self.store.copies_of(article_id) if matches else []
        for match in matches:
            if self.store.watchlists.fired(match.watch.id, copies):
                continue  # this article took over as the original of one that already fired
            alert_id = self.store.watchlists.claim(match.watch.id, article_id, match.matched)
            if alert_id is None:
                continue
            note = notification(
                match.watch, matched=match.matched, article_id=article_id, article=article,
                alert_id=alert_id,
            )  # fmt: skip
            try:
                self.sender.send(match.watch.notify, note)
            except DeliveryError as exc:
                self.store.watchlists.record_delivery(alert_id, error=str(exc))
            else:
                self.store.watchlists.record_delivery(alert_id, error=None)
