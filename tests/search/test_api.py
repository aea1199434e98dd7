"""GET /api/search and /api/search/suggest: the documented JSON, 400s for bad parameters,
429 when rate limited; never a 500."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def faqs(make_faq):
    make_faq(
        "id-card-lost", "居民身份证遗失后如何补领？", "到派出所补领，工本费20元。", paraphrases=["身份证丢了怎么办"]
    )
    make_faq("id-card-lost", "How do I replace a lost ID card?", "At any police station, CNY 20.", lang="en")


def test_search_returns_documented_fields(client, faqs):
    """Results carry exactly kind, key, title, url, snippet and score; key is the import key."""
    response = client.get("/api/search", {"q": "身份证掉了怎么办", "lang": "zh-hans"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    results = response.json()["results"]
    assert len(results) == 1
    assert set(results[0]) == {"kind", "key", "title", "url", "snippet", "score"}
    assert results[0]["kind"] == "faq" and results[0]["key"] == "id-card-lost"
    assert results[0]["title"] == "居民身份证遗失后如何补领？"
    assert isinstance(results[0]["score"], float)


def test_search_language_kind_and_limit(client, faqs, make_guide):
    """lang picks the language, kind restricts to FAQs or pages, limit caps the list."""
    make_guide("身份证补领", "居民身份证补领指南。")
    en = client.get("/api/search", {"q": "lost ID card", "lang": "en"}).json()["results"]
    assert [r["title"] for r in en] == ["How do I replace a lost ID card?"]
    both = client.get("/api/search", {"q": "身份证", "lang": "zh-hans"}).json()["results"]
    assert {r["kind"] for r in both} == {"faq", "page"}
    pages = client.get("/api/search", {"q": "身份证", "kind": "page"}).json()["results"]
    assert [r["kind"] for r in pages] == ["page"]
    one = client.get("/api/search", {"q": "身份证", "limit": "1"}).json()["results"]
    assert len(one) == 1


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "x" * 201},
        {"q": "身份证", "lang": "fr"},
        {"q": "身份证", "kind": "video"},
        {"q": "身份证", "limit": "0"},
        {"q": "身份证", "limit": "51"},
        {"q": "身份证", "limit": "ten"},
    ],
)
def test_bad_parameters_get_400_json(client, search_dir, params):
    """Every invalid parameter is a 400 with a JSON error naming the field."""
    response = client.get("/api/search", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["fields"]


def test_suggest(client, faqs):
    """Suggestions are titles with their URLs; an empty query gives none; a bad lang is a 400."""
    data = client.get("/api/search/suggest", {"q": "身份证", "lang": "zh-hans"}).json()
    assert [s["title"] for s in data["suggestions"]] == ["居民身份证遗失后如何补领？"]
    assert set(data["suggestions"][0]) == {"title", "url", "kind"}
    assert client.get("/api/search/suggest", {"q": ""}).json() == {"suggestions": []}
    assert client.get("/api/search/suggest", {"q": "x", "lang": "de"}).status_code == 400


def test_only_get(client, search_dir):
    """Writing methods are refused."""
    assert client.post("/api/search", {"q": "x"}).status_code == 405


def test_rate_limited(client, settings, faqs):
    """Past the "search" limit a client gets 429 with Retry-After, in JSON."""
    settings.RATELIMIT_ENABLE = True
    settings.RATELIMITS = {**settings.RATELIMITS, "search": (3, 60)}
    for _ in range(3):
        assert client.get("/api/search", {"q": "身份证"}).status_code == 200
    response = client.get("/api/search", {"q": "身份证"})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response["Retry-After"]) > 0
    assert client.get("/api/search/suggest", {"q": "身份证"}).status_code == 429
