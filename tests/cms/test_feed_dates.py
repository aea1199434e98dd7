"""Feed entries carry the date printed on the notice, not the moment its page was created."""

import datetime as dt
import xml.etree.ElementTree as ET

from django.urls import reverse

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, produced by the test
    return root, {
        entry.findtext(f"{ATOM}title"): (entry.findtext(f"{ATOM}published"), entry.findtext(f"{ATOM}updated"))
        for entry in root.iter(f"{ATOM}entry")
    }


def test_entries_are_dated_by_the_notice_date(client, site_tree):
    """The tree's notices were published just now, but dated 20 and 19 November 2026."""
    root, dated = entries(client.get(reverse("notice_feed"), {"lang": "zh-hans"}))
    assert dated["春节期间户籍窗口办公时间调整"] == ("2026-11-20T00:00:00+08:00", "2026-11-20T00:00:00+08:00")
    assert dated["十月警情通报"][0] == "2026-11-19T00:00:00+08:00"
    assert root.findtext(f"{ATOM}updated") == "2026-11-20T00:00:00+08:00"
    published_today = dt.date.today().isoformat()
    assert not any(published.startswith(published_today) for published, _updated in dated.values())
