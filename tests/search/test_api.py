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
    """Results carry exactly kind, key, lang, title, url, snippet and score; key is the import key;
    the response says the results' language and that it is the page's own."""
    response = client.get("/api/search", {"q": "身份证掉了怎么办", "lang": "zh-hans"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert set(data) == {"results", "lang", "language_fallback"}
    assert data["lang"] == "zh-hans" and data["language_fallback"] is False
    results = data["results"]
    assert len(results) == 1
    assert set(results[0]) == {"kind", "key", "lang", "title", "url", "snippet", "score"}
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
        {"q": "x" * 4001},
        {"q": "？！…"},
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


def test_long_question_is_cut_to_its_key_terms_not_refused(client, faqs):
    """A citizen's pasted 210-character question is searched by its key words (200, not 400),
    and the response says what was searched."""
    question = (
        "您好，我想请问一下，" * 16 + "我的身份证昨天在菜市场丢了，现在应该去哪里补办，要带什么东西？" + "谢谢" * 5
    )
    assert len(question) > 200
    response = client.get("/api/search", {"q": question, "lang": "zh-hans", "kind": "faq"})
    assert response.status_code == 200
    data = response.json()
    assert data["results"][0]["key"] == "id-card-lost"
    assert "身份证" in data["searched"] and len(data["searched"]) <= 200
    assert data["language_fallback"] is False and data["lang"] == "zh-hans"


def test_english_on_the_chinese_site_finds_english_faqs_and_says_so(client, faqs):
    data = client.get("/api/search", {"q": "lost ID card", "lang": "zh-hans", "kind": "faq"}).json()
    assert data["results"][0]["key"] == "id-card-lost" and data["results"][0]["lang"] == "en"
    assert data["language_fallback"] is True and data["lang"] == "en"
    # Chinese on the English site, the other way round
    data = client.get("/api/search", {"q": "身份证掉了", "lang": "en", "kind": "faq"}).json()
    assert data["results"][0]["lang"] == "zh-hans" and data["language_fallback"] is True
    # A query in the page's own language is not redirected
    data = client.get("/api/search", {"q": "lost ID card", "lang": "en", "kind": "faq"}).json()
    assert data["results"][0]["lang"] == "en" and data["language_fallback"] is False
