"""Every page and its JSON twin over the demo database, exports, and the OpenAPI document."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from newsdesk.service import Newsdesk


def first_story(client: TestClient) -> dict:
    stories = client.get("/stories.json").json()["stories"]
    assert stories, "the demo corpus makes stories"
    return stories[0]


def istanbul_story(client: TestClient) -> dict:
    stories = client.get("/stories.json").json()["stories"]
    found = [s for s in stories if "istanbul" in (s["title"] or "").lower()]
    assert found, [s["title"] for s in stories]
    return max(found, key=lambda s: s["article_count"])


def an_article_id(web_desk: Newsdesk) -> int:
    return next(a.id for a in web_desk.articles(limit=20) if a.article.quotes)


def pages(client: TestClient, web_desk: Newsdesk) -> list[str]:
    story = first_story(client)["id"]
    article = an_article_id(web_desk)
    actor = web_desk.actors(limit=1)[0].actor.key
    return [
        "/stories",
        f"/stories/{story}",
        f"/stories/{story}/new?since=2025-05-01T00:00:00",
        "/articles",
        f"/articles/{article}",
        "/actors",
        f"/actors/{actor}",
        "/search?q=prisoner+exchange",
        "/feeds",
    ]


def test_every_page_has_html_and_a_json_twin(client: TestClient, web_desk: Newsdesk) -> None:
    for path in pages(client, web_desk):
        route, _, query = path.partition("?")
        html = client.get(path)
        assert html.status_code == 200, path
        assert html.headers["content-type"].startswith("text/html")
        assert "<main" in html.text
        assert 'lang="en"' in html.text
        twin = client.get(route + ".json" + ("?" + query if query else ""))
        assert twin.status_code == 200, path
        assert twin.headers["content-type"] == "application/json"
        assert isinstance(twin.json(), dict)
        assert f'href="{route}.json' in html.text  # every page links its twin


def test_front_page_ranks_stories_with_counts_and_sparklines(client: TestClient) -> None:
    stories = client.get("/stories.json").json()["stories"]
    assert len(stories) >= 3
    story = stories[0]
    for key in ("id", "title", "article_count", "outlet_count", "independent_count", "daily"):
        assert key in story
    html = client.get("/").text
    assert html.count('class="item story-item"') == len(stories)
    assert "independent source" in html
    assert 'class="spark"' in html


def test_story_page_shows_timeline_quotes_graph_map_and_outlets(client: TestClient) -> None:
    story = istanbul_story(client)
    data = client.get(f"/stories/{story['id']}.json").json()
    assert data["story"]["id"] == story["id"]
    assert "days" in data["timeline"]
    assert "actors" in data["quotes"]
    html = client.get(f"/stories/{story['id']}").text
    for landmark in ('id="timeline"', 'id="said"', 'id="events"', 'id="graph"', 'id="outlets"',
                     'id="places"', "data-whats-new"):  # fmt: skip
        assert landmark in html
    assert '<svg class="graph"' in html
    assert '<svg class="map"' in html


def test_story_page_filters_events(client: TestClient, web_desk: Newsdesk) -> None:
    story = istanbul_story(client)
    everything = client.get(f"/stories/{story['id']}.json").json()["events"]
    if not everything:
        pytest.skip("the events stage found no events in this story")
    status = everything[0]["status"]
    narrowed = client.get(f"/stories/{story['id']}.json?status={status}").json()["events"]
    assert narrowed
    assert all(e["status"] == status for e in narrowed)
    assert len(narrowed) <= len(everything)


def test_a_long_events_table_is_cut_with_a_link_to_all(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk.web.routes import stories as story_routes

    story = istanbul_story(client)
    count = len(client.get(f"/stories/{story['id']}.json").json()["events"])
    assert count > 3
    monkeypatch.setattr(story_routes, "EVENT_ROWS", 3)
    html = client.get(f"/stories/{story['id']}").text
    start = html.index('id="events-table"')
    table = html[start : html.index("</table>", start)]
    assert table.count("<tr>") == 1 + 3  # the head row and three events
    assert f"Show all {count} events" in html
    everything = client.get(f"/stories/{story['id']}?events=all&page-cut=1").text
    table = everything[everything.index('id="events-table"') :]
    assert table[: table.index("</table>")].count("<tr>") == 1 + count


def test_zelenskiy_quotes_are_on_his_actor_page(client: TestClient) -> None:
    actors = client.get("/actors.json?q=zelensk").json()["actors"]
    assert actors, "the demo corpus names Zelenskiy"
    page = client.get(f"/actors/{actors[0]['key']}.json").json()
    assert page["quotes"], "Zelenskiy is quoted in the demo corpus"
    assert all(q["speaker_actor"] for q in page["quotes"])
    assert page["co_actors"]
    assert page["titles_over_time"]
    html = client.get(f"/actors/{actors[0]['key']}").text
    assert html.count("<blockquote") == len(page["quotes"])


def test_article_page_marks_evidence_and_shows_related(
    client: TestClient, web_desk: Newsdesk
) -> None:
    article_id = an_article_id(web_desk)
    html = client.get(f"/articles/{article_id}").text
    assert 'class="hl hl-actor"' in html
    assert 'class="hl hl-quote"' in html
    assert 'role="tooltip"' in html
    assert "aria-describedby" in html
    data = client.get(f"/articles/{article_id}.json").json()
    assert data["id"] == article_id
    assert data["text"]
    assert "related" in data
    for pick in data["related"]:
        assert pick["reason"]
        assert pick["article_id"] != article_id
        assert f'href="/articles/{pick["article_id"]}"' in html


def test_the_pages_own_related_block_is_shown_apart(client: TestClient, web_desk: Newsdesk) -> None:
    with_block = next(a for a in web_desk.articles(limit=None) if a.article.related_links)
    html = client.get(f"/articles/{with_block.id}").text
    assert "The page's own related block" in html
    assert with_block.article.related_links[0].title.split()[0] in html


def test_search_finds_articles_with_snippets_and_facets(client: TestClient) -> None:
    data = client.get("/search.json?q=prisoner+exchange").json()
    assert data["total"] > 0
    assert data["hits"]
    assert any("[" in hit["snippet"] for hit in data["hits"])
    assert data["facets"]["outlet"]
    assert data["facets"]["actor"]
    outlet = data["facets"]["outlet"][0]
    narrowed = client.get(f"/search.json?q=prisoner+exchange&outlet={outlet['value']}").json()
    assert narrowed["total"] == outlet["count"]
    assert all(hit["domain"] == outlet["value"] for hit in narrowed["hits"])
    html = client.get("/search?q=prisoner+exchange").text
    assert "<mark>" in html


def test_search_by_facet_alone_and_by_date(client: TestClient) -> None:
    day = client.get("/search.json?q=istanbul").json()["facets"]["date"][0]
    found = client.get(f"/search.json?date_from={day['value']}&date_to={day['value']}").json()
    assert found["total"] == day["count"]
    assert all(hit["published"].startswith(day["value"]) for hit in found["hits"])


def test_search_treats_query_syntax_as_words(client: TestClient) -> None:
    for query in ('"', "NEAR(a b)", "title:x OR", "-", "*", "'; DROP TABLE articles; --"):
        response = client.get("/search.json", params={"q": query})
        assert response.status_code == 200
    assert client.get("/articles.json").json()["articles"]  # the table is still there


def test_exports_in_three_formats(client: TestClient) -> None:
    story = istanbul_story(client)["id"]
    for kind in ("articles", "events", "quotes"):
        as_csv = client.get(f"/export/{kind}.csv?story={story}")
        assert as_csv.status_code == 200
        assert as_csv.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(as_csv.text)))
        as_json = client.get(f"/export/{kind}.json?story={story}").json()
        lines = client.get(f"/export/{kind}.jsonl?story={story}").text.splitlines()
        assert len(rows) == len(as_json) == len(lines), kind
        assert [json.loads(line) for line in lines] == as_json
    articles = client.get(f"/export/articles.json?story={story}").json()
    assert len(articles) == istanbul_story(client)["article_count"]
    timeline = client.get(f"/stories/{story}/timeline.jsonl")
    assert timeline.status_code == 200
    searched = client.get("/export/articles.json?q=prisoner+exchange").json()
    assert len(searched) == client.get("/search.json?q=prisoner+exchange").json()["total"]


def test_quotes_export_by_speaker(client: TestClient) -> None:
    key = client.get("/actors.json?q=zelensk").json()["actors"][0]["key"]
    rows = client.get(f"/export/quotes.json?of_actor={key}&speaker={key}").json()
    assert rows
    assert all(r["speaker_actor"] == key for r in rows)


def test_missing_things_are_404(client: TestClient) -> None:
    assert client.get("/articles/999999").status_code == 404
    assert client.get("/articles/999999.json").json()["status"] == 404
    assert client.get("/stories/999999").status_code == 404
    assert client.get("/actors/nobody-at-all-here").status_code == 404
    assert client.get("/export/articles.xml").status_code == 404


def test_openapi_documents_every_json_route(client: TestClient, app) -> None:
    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.")
    documented = set(document["paths"])
    served = set()
    for route in app.routes:
        path = getattr(route, "path", "")
        if path.endswith((".json", ".csv", ".jsonl", ".opml", ".{fmt}")):
            served.add(re.sub(r"\{(\w+)(:\w+)?\}", r"{\1}", path))
    served = {p for p in served if "{fmt}" not in p} | {
        p for p in documented if "/export/" in p or "/timeline." in p
    }
    missing = {p for p in served if p not in documented}
    assert not missing
    assert "/export/events.csv" in documented
    assert "/stories/{story_id}/timeline.csv" in documented


def test_vendored_files_match_their_recorded_checksums() -> None:
    vendor = Path(__file__).resolve().parents[2] / "src/newsdesk/web/static/vendor"
    rows = [
        line.split()
        for line in (vendor / "VERSIONS.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert rows
    for _name, _version, _licence, filename, sha256 in rows:
        assert hashlib.sha256((vendor / filename).read_bytes()).hexdigest() == sha256
