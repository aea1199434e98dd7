"""The portal's languages (settings.LANGUAGES: zh-hans, en), and a language tag as a client
writes it. The search API, the inquiry API and the chat socket all read `lang` through
`from_tag`, so `zh-Hans`, `ZH`, `zh-CN`, `zh_TW` mean zh-hans and `EN`, `en-US` mean en
everywhere (docs/api-search.md, docs/api-inquiries.md, docs/chat-protocol.md)."""

import re

from django.conf import settings


def codes():
    return [code for code, _name in settings.LANGUAGES]


def from_tag(value, default=None):
    """The portal language a tag means: itself (case-insensitive) or the language of a regional
    variant; `default` for any other tag and for anything that is not a string."""
    if not isinstance(value, str):
        return default
    tag = value.strip().lower()
    primary = re.split(r"[-_]", tag, maxsplit=1)[0]
    for code in codes():
        if tag == code or primary == code.split("-")[0]:
            return code
    return default
