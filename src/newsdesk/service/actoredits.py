"""A user's actor edits applied to new articles: merged-away keys and aliases map to one actor."""

from __future__ import annotations

import dataclasses

from newsdesk.model import Actor, Article, Event, EventRole
from newsdesk.names import slug


def canonical_key(actor: Actor, aliases: dict[str, str]) -> str:
    """The key an actor is stored under once the user's merges and aliases are applied."""
    for candidate in (actor.key, slug(actor.name), *(slug(a) for a in actor.aliases)):
        if candidate in aliases:
            return aliases[candidate]
    return actor.key


def _mapped(key: str | None, mapping: dict[str, str]) -> str | None:
    return mapping.get(key, key) if key else None


def _event_with_keys(event: Event, mapping: dict[str, str]) -> Event:
    """An event whose actor, recipient, role and asserter keys follow the user's edits."""
    return dataclasses.replace(
        event,
        actors=tuple(dict.fromkeys(mapping.get(k, k) for k in event.actors)),
        recipients=tuple(dict.fromkeys(mapping.get(k, k) for k in event.recipients)),
        roles=tuple(
            EventRole(actor=mapping.get(r.actor, r.actor), role=r.role) for r in event.roles
        ),
        asserted_by=_mapped(event.asserted_by, mapping),
    )


def apply_actor_edits(article: Article, aliases: dict[str, str]) -> Article:
    """``article`` with actor keys mapped through ``aliases`` and actors that now share a key
    merged into one."""
    if not aliases or not article.actors:
        return article
    mapping = {a.key: canonical_key(a, aliases) for a in article.actors}
    if all(k == v for k, v in mapping.items()):
        return article
    merged: dict[str, Actor] = {}
    for actor in article.actors:
        key = mapping[actor.key]
        if key not in merged:
            merged[key] = dataclasses.replace(actor, key=key)
            continue
        kept = merged[key]
        merged[key] = dataclasses.replace(
            kept,
            aliases=tuple(dict.fromkeys([*kept.aliases, actor.name, *actor.aliases])),
            titles=tuple(dict.fromkeys([*kept.titles, *actor.titles])),
            affiliation=kept.affiliation or actor.affiliation,
            sector=kept.sector or actor.sector,
        )
    return dataclasses.replace(
        article,
        actors=tuple(merged.values()),
        mentions=tuple(
            dataclasses.replace(m, actor=mapping.get(m.actor, m.actor)) for m in article.mentions
        ),
        quotes=tuple(
            dataclasses.replace(
                q,
                speaker_actor=_mapped(q.speaker_actor, mapping),
                addressee_actor=_mapped(q.addressee_actor, mapping),
            )
            for q in article.quotes
        ),
        events=tuple(_event_with_keys(e, mapping) for e in article.events),
    )
