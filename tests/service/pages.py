"""Small hand-written pages for service tests: an article, a copy and an edited copy."""

from __future__ import annotations

PARAGRAPHS = [
    "Delegations from Russia and Ukraine met in Istanbul on Friday for their first direct talks"
    " since the spring of 2022, in a palace hall overlooking the Bosphorus.",
    "The meeting lasted less than two hours. Turkish officials said the sides agreed to swap a"
    " thousand prisoners each, the largest exchange since the full-scale invasion began.",
    "Ukraine's defence minister, who led his country's team, said Kyiv had asked for an"
    " unconditional ceasefire and for a meeting between the two presidents.",
    "The Russian side, headed by a presidential aide, said it was satisfied with the outcome and"
    " ready to keep the channel open, but gave no date for a second round.",
    "Diplomats in Ankara said the prisoner exchange could take place within days if the lists"
    " of names were agreed quickly by the two defence ministries.",
]


def html_page(
    *,
    domain: str,
    slug: str,
    title: str = "Russia and Ukraine agree prisoner swap in Istanbul",
    paragraphs: list[str] | None = None,
    date: str = "2025-05-16T17:00:00+03:00",
) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in (paragraphs or PARAGRAPHS))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{title} | {domain}</title>
<link rel="canonical" href="https://{domain}/{slug}">
<meta property="og:site_name" content="{domain}">
<meta property="article:published_time" content="{date}">
</head><body><article><h1>{title}</h1>{body}</article></body></html>"""


def edited_paragraphs() -> list[str]:
    """The wire copy with one paragraph rewritten and one added, as an outlet would."""
    edited = list(PARAGRAPHS)
    edited[2] = (
        "Kyiv's delegation, led by the defence minister, pressed for an unconditional truce"
        " and a meeting of the two presidents, he told reporters afterwards."
    )
    edited.append(
        "In Kyiv, families of prisoners gathered outside the coordination headquarters to"
        " ask whether their relatives would be on the first lists."
    )
    return edited
