"""The one sanitizing policy."""

from portal.sanitize import clean_html, clean_text, strip_tags, text_to_html


def test_scripts_and_event_handlers_are_removed():
    html = '<p onclick="x()">hi<script>alert(1)</script></p><img src=x onerror=alert(1)>'
    cleaned = clean_html(html)
    assert "script" not in cleaned and "onclick" not in cleaned and "onerror" not in cleaned
    assert "alert" not in cleaned
    assert "<p>hi</p>" in cleaned


def test_javascript_links_are_dropped_and_safe_links_get_rel():
    cleaned = clean_html('<a href="javascript:alert(1)">x</a><a href="https://gov.cn/">y</a>')
    assert "javascript" not in cleaned
    assert 'href="https://gov.cn/"' in cleaned and "noopener" in cleaned


def test_citizen_text_is_escaped_with_lines_and_links_kept():
    html = text_to_html("我的身份证<b>丢了</b>\n详见 https://example.org/a")
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert "<br>" in html
    assert '<a href="https://example.org/a"' in html and "nofollow" in html


def test_clean_text_removes_control_and_bidi_characters():
    assert clean_text("  a\x00b\u202ec\r\nd  ") == "abc\nd"


def test_strip_tags_gives_plain_text():
    assert strip_tags("<p>居民&amp;身份证</p><p>补领</p>") == "居民&身份证 补领"
    assert strip_tags("<p>Apply as soon as possible:</p><p>Where: the hall</p>") == (
        "Apply as soon as possible: Where: the hall"
    )
