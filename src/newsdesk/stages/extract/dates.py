"""Publication dates from strings as pages write them: ISO stamps, URL paths, bylines in prose."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = r"(?:[,\s]+(?:at\s+)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?)?"
_TZ = r"(?:\s*\(?(?P<tz>UTC|GMT|Z)?(?P<offset>[+-]\d{1,2}(?::?\d{2})?)?\)?)?"
# "14 May 2025, 21:40" and "May 14, 2025 9:40 pm"
_DAY_MONTH_YEAR = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+"
    + _MONTH
    + r",?\s+(?P<year>(?:19|20)\d{2})\b"
    + _TIME
    + _TZ,
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    r"\b"
    + _MONTH
    + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})\b"
    + _TIME
    + _TZ,
    re.IGNORECASE,
)
_ISO_DAY = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_URL_DATE = re.compile(
    r"/(?P<year>(?:19|20)\d{2})[/-](?P<month>0?[1-9]|1[0-2])[/-](?P<day>0?[1-9]|[12]\d|3[01])(?:/|-|$)"
)
_URL_COMPACT = re.compile(
    r"/(?P<year>(?:19|20)\d{2})(?P<month>0[1-9]|1[0-2])(?P<day>0[1-9]|[12]\d|3[01])/"
)


def parse_iso(value: str) -> tuple[datetime, bool] | None:
    """An ISO-8601 stamp as aware UTC plus whether it was a bare day; None if not ISO.

    A stamp without an offset is read as UTC: pages that omit it are usually server time,
    and the caller lowers its confidence.
    """
    value = value.strip()
    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return datetime.fromisoformat(value).replace(tzinfo=UTC), True
        except ValueError:
            return None
    candidate = value.replace("Z", "+00:00").replace(" ", "T", 1)
    candidate = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", candidate)
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC), False


def date_from_url(url: str) -> datetime | None:
    """The day a URL path names (``/2025/05/14/``, ``/20250514/``), as midnight UTC."""
    for pattern in (_URL_DATE, _URL_COMPACT):
        match = pattern.search(url)
        if match:
            try:
                return datetime(
                    int(match["year"]), int(match["month"]), int(match["day"]), tzinfo=UTC
                )
            except ValueError:
                continue
    return None


def date_from_text(text: str) -> tuple[datetime, bool] | None:
    """The first written-out date in ``text`` ("Published 14 May 2025, 21:40"), if any."""
    best: re.Match[str] | None = None
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _ISO_DAY):
        match = pattern.search(text)
        if match and (best is None or match.start() < best.start()):
            best = match
    if best is None:
        return None
    groups = best.groupdict()
    month_text = groups["month"].lower().rstrip(".")
    month = int(month_text) if month_text.isdigit() else _MONTHS[month_text]
    try:
        day = datetime(int(groups["year"]), month, int(groups["day"]), tzinfo=UTC)
    except ValueError:
        return None
    if not groups.get("hour"):
        return day, True
    hour, minute = int(groups["hour"]), int(groups["minute"])
    ampm = (groups.get("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return day, True
    stamp = day.replace(hour=hour, minute=minute)
    offset = groups.get("offset")
    if offset:
        sign = 1 if offset[0] == "+" else -1
        digits = offset[1:].replace(":", "")
        hours, minutes = (
            (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
        )
        stamp -= sign * timedelta(hours=hours, minutes=minutes)
    return stamp, False
