"""Answers from structured content: a station's opening hours, address and phone from its
station page ("东湖派出所几点下班"), a service guide's fee, time limit, materials or place from the
guide's fields ("无犯罪记录证明要多少钱"), each citing the page it came from.

A question gets such an answer when it asks for one of these facts (`aspects`, words in both
languages) about one thing: a station it names, or the service guide that the confident answer
to the question comes from (the guide itself, or the guide of the FAQ found). What the fact
says is the editors' text, as published.
"""

import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.html import strip_tags

from portal.versioned_cache import VersionedCache

from .text import bare

# What the question asks for. Each aspect is a pattern over the question (bare: lower case,
# NFKC, spaces collapsed) in both languages.
ASPECTS = {
    "hours": re.compile(
        r"几点|上班|下班|开门|关门|营业|办公时间|开放时间|周末|星期|礼拜|今天开|开着|"
        r"opening|open|close|closing|hours|when .*(open|close)|weekend|sunday|saturday"
    ),
    "address": re.compile(r"地址|在哪|哪里|怎么走|位置|哪儿|address|where is|where are|location|located|directions"),
    "phone": re.compile(r"电话|号码|联系方式|怎么联系|phone|telephone|number|call|contact"),
    "fee": re.compile(r"多少钱|费用|收费|要钱|花钱|免费|价格|几块|工本费|how much|fee|cost|price|charge|free"),
    "time_limit": re.compile(
        r"多久|几天|多长时间|时限|多少天|工作日|什么时候能拿|how long|how many days|time limit|when .* get"
    ),
    "materials": re.compile(
        r"材料|带什么|需要什么|证件|资料|准备什么|带哪些|what .*bring|documents|materials|what do i need"
    ),
}
GUIDE_ASPECTS = ("fee", "time_limit", "materials", "address", "hours")
STATION_ASPECTS = ("hours", "address", "phone")
# Words a station's name is said with or without: "东湖派出所" is also "东湖所"; "Donghu Police
# Station" is also "Donghu station".
_STATION_SUFFIX = re.compile(r"(派出所|公安分局|分局|警务室|服务大厅|所|police station|station|police)$")


@dataclass(frozen=True)
class Fact:
    text: str
    source: dict  # {"key", "title", "url"}


def aspects(question):
    """The facts the question asks for, in ASPECTS order."""
    text = bare(question)
    return [name for name, pattern in ASPECTS.items() if pattern.search(text)]


def _station_names(title):
    title = bare(title)
    names = {title}
    short = _STATION_SUFFIX.sub("", title).strip()
    if len(short) >= 2:
        names.add(short)
    return names


def _content_version():
    from cms.search.index import content_version

    try:
        return content_version()
    except Exception:  # no index yet: a value equal to nothing, so nothing kept is used
        return object()


# (model label, lang) -> [(pk, names)]; portal.versioned_cache (docs/caching.md)
_titles = VersionedCache("chat-facts-titles", token=_content_version)
# (which guide, aspects asked, lang) -> Fact or None: a guide's fee or materials cost three queries
_guide_facts = VersionedCache("chat-facts-guides", token=_content_version, max_entries=2000)


def _named(model, lang, names_of):
    """[(pk, names)] of the live public pages of `model` in `lang`, kept per process until the
    content changes (cms.search.index.content_version): a question asking for hours or a fee costs
    no query unless it names one of them."""

    def build():
        rows = model.objects.live().public().filter(locale__language_code=lang).values_list("pk", "title")
        return [(pk, names_of(title)) for pk, title in rows]

    return _titles.get((model._meta.label, lang), build)


def named_station(question, lang):
    """The live station of `lang` the question names ("东湖派出所", "东湖所", "Donghu station"), or
    None when it names none or several."""
    from cms.models import StationPage

    text = bare(question)
    found = [pk for pk, names in _named(StationPage, lang, _station_names) if any(n in text for n in names)]
    if len(found) != 1:
        return None
    return StationPage.objects.live().public().prefetch_related("hours").filter(pk=found[0]).first()


def _hours_text(station, lang, now=None):
    from .messages import say

    lines = []
    for row in station.hours_rows(at=now):
        if row["periods"]:
            periods = ", ".join(f"{p.opens:%H:%M}–{p.closes:%H:%M}" for p in row["periods"])
        else:
            periods = say("fact_closed", lang)
        lines.append(f"{row['label']}: {periods}")
    state = say("fact_open_now" if station.is_open(now) else "fact_closed_now", lang)
    return "\n".join([state, *lines])


def station_fact(station, wanted, lang, now=None):
    from .messages import say

    parts = []
    for aspect in wanted:
        if aspect == "hours":
            parts.append(say("fact_hours", lang, name=station.title) + "\n" + _hours_text(station, lang, now))
        elif aspect == "address" and station.address:
            parts.append(say("fact_address", lang, name=station.title, value=station.address))
        elif aspect == "phone" and station.phone:
            parts.append(say("fact_phone", lang, name=station.title, value=station.phone))
    if not parts:
        return None
    return Fact("\n".join(parts), {"key": str(station.pk), "title": station.title, "url": station.get_url() or ""})


def named_guide(question, lang):
    """The live service guide of `lang` whose title the question contains ("居民身份证补领收费多少"),
    or None when it names none or several."""
    from cms.models import ServiceGuidePage

    pk = _named_guide_pk(question, lang)
    return None if pk is None else ServiceGuidePage.objects.live().public().filter(pk=pk).first()


def _named_guide_pk(question, lang):
    from cms.models import ServiceGuidePage

    text = bare(question)
    titles = _named(ServiceGuidePage, lang, lambda title: {bare(title)} if len(bare(title)) >= 4 else set())
    found = [pk for pk, names in titles if any(n in text for n in names)]
    return found[0] if len(found) == 1 else None


def guide_of(hit, faq_key, lang):
    """The live service guide a confident answer comes from: the hit itself when it is a guide
    page, else the related guide of the FAQ found."""
    from cms.models import FAQ, ServiceGuidePage

    guides = ServiceGuidePage.objects.live().public()
    if hit is not None and hit.kind == "page" and hit.object_id:
        return guides.filter(pk=hit.object_id).first()
    if faq_key:
        faq = FAQ.objects.filter(live=True, key=faq_key, locale__language_code=lang).only("related_guide_id").first()
        if faq is not None and faq.related_guide_id:
            return guides.filter(pk=faq.related_guide_id).first()
    return None


def guide_fact(guide, wanted, lang):
    from .messages import say

    parts = []
    for aspect in wanted:
        if aspect == "fee" and guide.fees:
            parts.append(say("fact_fee", lang, name=guide.title, value=guide.fees.strip()))
        elif aspect == "time_limit" and guide.time_limit:
            parts.append(say("fact_time_limit", lang, name=guide.title, value=guide.time_limit.strip()))
        elif aspect == "materials" and len(guide.materials):
            items = [
                b.value["name"] + (f"（{b.value['note']}）" if b.value.get("note") else "") for b in guide.materials
            ]
            parts.append(say("fact_materials", lang, name=guide.title) + "\n" + "\n".join(f"• {i}" for i in items))
        elif aspect in ("address", "hours") and guide.where_and_when:
            parts.append(say("fact_where", lang, name=guide.title, value=strip_tags(guide.where_and_when).strip()))
    if not parts:
        return None
    return Fact(
        "\n".join(dict.fromkeys(parts)), {"key": str(guide.pk), "title": guide.title, "url": guide.get_url() or ""}
    )


def about_station(question, lang, now=None):
    """A station's hours, address or phone when the question names one station and asks for them."""
    wanted = [a for a in aspects(question) if a in STATION_ASPECTS]
    if not wanted:
        return None
    station = named_station(question, lang)
    if station is None:
        return None
    return station_fact(station, wanted, lang, now or timezone.now())


def about_guide(question, lang, hit=None, faq_key=None):
    """A guide's fee, time limit, materials or place when the question asks for one of them about
    a guide: one it names by title, or (given `hit`/`faq_key`, the confident answer) the guide
    that answer comes from."""
    wanted = [a for a in aspects(question) if a in GUIDE_ASPECTS]
    if not wanted:
        return None
    named = _named_guide_pk(question, lang)
    if named is not None:
        source = ("named", named)
    else:
        source = ("answer", hit.kind if hit is not None else None, hit.object_id if hit is not None else None, faq_key)

    def build():
        guide = named_guide(question, lang) if named is not None else guide_of(hit, faq_key, lang)
        return None if guide is None else guide_fact(guide, wanted, lang)

    # The same for every citizen who asks it: kept until the content changes, like the titles.
    return _guide_facts.get((source, tuple(wanted), lang), build)
