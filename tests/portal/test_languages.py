"""One reading of a client's language tag for the search API, the inquiry API and the chat."""

import pytest

from chatbot.service import normalize_lang
from portal.languages import from_tag


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("zh-hans", "zh-hans"),
        ("zh-Hans", "zh-hans"),
        ("ZH", "zh-hans"),
        ("zh-CN", "zh-hans"),
        ("zh_TW", "zh-hans"),
        (" en ", "en"),
        ("EN", "en"),
        ("en-US", "en"),
        ("en_GB", "en"),
    ],
)
def test_a_portal_language_written_as_clients_write_it(tag, expected):
    assert from_tag(tag) == expected
    assert normalize_lang(tag) == expected


@pytest.mark.parametrize("tag", ["fr", "english", "zhongwen", "", None, 5, ["en"]])
def test_any_other_tag_is_the_default(tag):
    assert from_tag(tag) is None
    assert from_tag(tag, default="x") == "x"
    assert normalize_lang(tag) == "zh-hans"
