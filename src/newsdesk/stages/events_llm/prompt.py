"""The request the LLM extractor sends: the event record explained, then one article."""

from __future__ import annotations

from newsdesk.model import Article, EventStatus
from newsdesk.stages.events_llm.client import Message
from newsdesk.stages.events_llm.ontology import plover_types

# What each status means, in the words the model is asked to decide by.
STATUS_MEANINGS: dict[EventStatus, str] = {
    EventStatus.OCCURRED: "it happened, as the text reports it",
    EventStatus.ONGOING: "it is under way as the article is written",
    EventStatus.PLANNED: "it is scheduled or announced to take place",
    EventStatus.PROPOSED: "someone suggested, offered, advocated or floated it",
    EventStatus.DEMANDED: "someone called for it or insisted on it",
    EventStatus.CONDITIONAL: "it will happen only if a condition holds (give the condition)",
    EventStatus.DECLINED: "an actor refused or will not do it (will not attend, rejected)",
    EventStatus.THREATENED: "someone warned it would happen as a threat",
    EventStatus.DENIED: "someone says it did not happen or is not true",
    EventStatus.HYPOTHETICAL: "could, might, would: speculation, not a plan",
    EventStatus.HISTORICAL: "background from before the current news (an earlier year, recalled)",
}

_RECORD = """\
Reply with one JSON object {"events": [...]}, nothing else. Each event is an object:
  "type": one PLOVER type from the list below (upper case)
  "mode": one of that type's modes, or null
  "status": one status from the list below
  "evidence": the sentence that states the event, copied from the article exactly
  "trigger": the word or short phrase in that sentence that names the event, copied exactly
  "actors": names of who does it, as the article writes them (prefer the known actors)
  "recipients": names of who it is done to or with
  "roles": [{"actor": name, "role": the part the text gives them, e.g. "head of delegation"}]
  "condition": for a conditional event, the condition copied exactly ("only if ..."), else null
  "date": when it happens as a TIMEX3 value (YYYY, YYYY-MM or YYYY-MM-DD), or null
  "date_text": the words the date comes from, copied exactly, or null
  "place": where it happens, as the article writes it, or null
  "asserted_by": the name of the quoted person or body who claims it, or null if the outlet does
  "summary": a short label, at most 12 words ("Putin declines to attend the Istanbul talks")
  "confidence": a number from 0 to 1
Copy evidence, trigger, condition and date_text character for character: anything that is not
in the article is discarded. One event per thing that happens; do not repeat an event for each
sentence that mentions it. Ignore lists of links to other stories. If there are no events,
reply {"events": []}."""


def system_message() -> str:
    """The instructions: the task, the record, the types and the statuses."""
    types = "\n".join(
        f"  {t.name}: {t.description}"
        + (f" (modes: {', '.join(mode for mode, _ in t.modes)})" if t.modes else "")
        for t in plover_types().values()
    )
    statuses = "\n".join(f"  {s.value}: {meaning}" for s, meaning in STATUS_MEANINGS.items())
    return (
        "You extract political events from one news article: who did what to whom, when and"
        " where, and whether it really happened.\n\n"
        f"{_RECORD}\n\nPLOVER types:\n{types}\n\nStatuses:\n{statuses}"
    )


def article_text(article: Article, max_chars: int) -> str:
    """The article's text, cut at the last paragraph break before ``max_chars`` if longer."""
    text = article.text
    if len(text) <= max_chars:
        return text
    cut = text.rfind("\n", 0, max_chars)
    return text[: cut if cut > max_chars // 2 else max_chars]


def user_message(article: Article, max_chars: int) -> str:
    """The article: its date, the actors already found in it, and its text."""
    lines = [f"Title: {article.title or '(none)'}"]
    published = article.published.value
    lines.append(
        f"Published: {published.date().isoformat()}"
        if published
        else "Published: unknown (give dates only when the text states them)"
    )
    if article.actors:
        lines.append("Known actors:")
        for actor in article.actors:
            also = f" (also: {', '.join(actor.aliases)})" if actor.aliases else ""
            lines.append(f"  - {actor.name}{also}")
    lines.append("Article:")
    lines.append(article_text(article, max_chars))
    return "\n".join(lines)


def build_messages(article: Article, max_chars: int) -> list[Message]:
    """The chat messages asking for the events of ``article``."""
    return [
        {"role": "system", "content": system_message()},
        {"role": "user", "content": user_message(article, max_chars)},
    ]
