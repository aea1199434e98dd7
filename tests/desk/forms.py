"""The public request form as a citizen fills it in (tests/desk, tests/security)."""

import re

from django.urls import reverse
from django.utils import translation


def url_in(lang, name, *args):
    with translation.override(lang):
        return reverse(name, args=args)


NEW = url_in("zh-hans", "desk:new")
NEW_EN = url_in("en", "desk:new")


def form_token(client, url=NEW):
    """The one-time token of a freshly opened form (it stops double submissions)."""
    page = client.get(url)
    return re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)


def form_data(client, url=NEW, **overrides):
    """A valid consultation about a lost ID card, with `overrides`."""
    data = {
        "kind": "consultation",
        "category": "id-card",
        "subject": "补办身份证",
        "description": "身份证丢了，怎么补办？",
        "location": "",
        "event_time": "",
        "name": "张三",
        "phone": "13800000000",
        "email": "",
        "lang": "zh-hans",
        "consent": "on",
        "website": "",
        "form_token": form_token(client, url),
    }
    data.update(overrides)
    return data
