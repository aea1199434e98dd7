"""Template tags for the public site: language switch, main navigation, bureau name, dates.

Every tag works without JavaScript and without a Wagtail page in the context (search, request
forms, 404), falling back to the language's home page.
"""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from cms import fragments
from cms.choices import NoticeCategory
from cms.fragments import content_version, fragment_cache, fragment_key  # noqa: F401 (content_version: API)

register = template.Library()

NAV_SLUGS = ("notices", "guides", "faq", "stations")


def current_lang():
    lang = (get_language() or settings.LANGUAGE_CODE).lower()
    return lang if lang in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _locale(code):
    """The Locale row of a language code (looked up once per request thread)."""
    from wagtail.models import Locale

    return Locale.objects.filter(language_code=code).first()


def home_page_for(code):
    """The live home page of a language, or None."""
    from cms.models import HomePage

    locale = _locale(code)
    if locale is None:
        return None
    return HomePage.objects.live().filter(locale=locale).first()


def home_url_for(code, request=None):
    home = home_page_for(code)
    url = home.get_url(request) if home else None
    return url or f"/{code}/"


def translated_url(code, page=None, request=None):
    """Where the language switch for `code` goes: the page's live translation when there is one,
    the same view in that language for non-page views (search, request forms), else the
    language's home page."""
    from wagtail.models import Page

    if isinstance(page, Page):
        locale = _locale(code)
        if locale is not None:
            if page.locale_id == locale.id:
                url = page.get_url(request)
            else:
                translation = page.get_translation_or_none(locale)
                url = translation.get_url(request) if translation is not None and translation.live else None
            if url:
                return url
        return home_url_for(code, request)
    if request is not None and getattr(request, "resolver_match", None) is not None:
        if request.resolver_match.url_name != "wagtail_serve":
            path = request.get_full_path()
            url = translate_url(path, code)
            if url != path or current_lang() == code:
                return url
    return home_url_for(code, request)


@register.simple_tag(takes_context=True)
def language_links(context):
    """[{code, name, url, current}] for every site language."""
    request = context.get("request")
    page = context.get("page")
    lang = current_lang()
    from wagtail.models import Page

    if not isinstance(page, Page):  # search, forms: not cached (the key would be any URL)
        return _build_language_links(request, page, lang)
    return _cached(f"lang:{page.pk}", request, lang, lambda: _build_language_links(request, page, lang))


def _build_language_links(request, page, lang):
    links = []
    for code, name in settings.LANGUAGES:
        links.append(
            {
                "code": code,
                "name": name,
                "url": translated_url(code, page, request),
                "current": code == lang,
                "hreflang": "zh-Hans" if code == "zh-hans" else code,
            }
        )
    return links


# Behind nginx (settings.FRAGMENT_CACHE, portal/settings/nginx.py) the navigation, language
# switch and footer data are cached across requests (in the shared cache when REDIS_URL is set)
# under the change log's latest id: every publish, unpublish, move, delete and settings change
# writes a row once it commits (cms/search/changelog.py), so the key changes with them, on every
# host, without a message to each process. One indexed query per page replaces the lookups
# below. Without the setting (`make run`, the tests) they are cached for one request only.
FRAGMENT_TTL = 3600


def _cached(name, request, lang, build):
    cache = fragment_cache()
    if cache is None:
        return build()
    key = fragment_key(name, request, lang)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, FRAGMENT_TTL)
    return value


@register.simple_tag(takes_context=True)
def main_nav(context):
    """URLs of the language's home and section index pages (by their contract slugs)."""
    request = context.get("request")
    lang = current_lang()
    cache = getattr(request, "_portal_nav", None) if request is not None else None
    if cache is not None and cache.get("lang") == lang:
        return cache
    nav = _cached("nav", request, lang, lambda: _build_nav(request, lang))
    if request is not None:
        request._portal_nav = nav
    return nav


def _build_nav(request, lang):
    nav = {"lang": lang, "home": f"/{lang}/", **{slug: f"/{lang}/{slug}/" for slug in NAV_SLUGS}}
    for slug in ("about", "privacy", "accessibility"):
        nav[slug] = f"/{lang}/{slug}/"
    home = home_page_for(lang)
    if home is not None:
        nav["home"] = home.get_url(request) or nav["home"]
        for child in home.get_children().live().only("id", "slug", "url_path", "path", "depth", "locale_id"):
            if child.slug in nav:
                nav[child.slug] = child.get_url(request) or nav[child.slug]
    nav["requests_new"] = f"/{lang}/requests/new/"
    nav["requests_track"] = f"/{lang}/requests/track/"
    nav["search"] = f"/{lang}/search/"
    return nav


def load_bureau(request=None):
    """BureauSettings of the request's site (or the default site); unsaved defaults if none."""
    from wagtail.models import Site

    from cms.models import BureauSettings

    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    return BureauSettings.for_site(site) if site is not None else BureauSettings()


@register.simple_tag(takes_context=True)
def bureau(context):
    """The bureau's settings, with `display_name` and `display_address` in the page's language."""
    request = context.get("request")
    cached = getattr(request, "_portal_bureau", None)
    if cached is not None:
        return cached
    settings_obj = _cached("bureau", request, current_lang(), lambda: _build_bureau(request))
    if request is not None:
        request._portal_bureau = settings_obj
    return settings_obj


def _build_bureau(request):
    settings_obj = load_bureau(request)
    settings_obj.display_name = (
        settings_obj.name_en if current_lang() == "en" and settings_obj.name_en else settings_obj.name
    )
    settings_obj.display_address = settings_obj.address_for(current_lang())
    return settings_obj


@register.filter
def category_label(value):
    try:
        return NoticeCategory(value).label
    except ValueError:
        return value


@register.simple_tag
def is_open_now(station):
    return station.is_open(timezone.now())


@register.simple_tag(takes_context=True)
def station_opening(context, station):
    """The station's opening status now, with the words the page shows after the badge: until
    when it is open, or when it next opens (public holidays of the official schedule count).
    The holiday calendar is read once per request, however many stations a page lists."""
    request = context.get("request")
    calendar = fragments.holiday_calendar(request)
    now = timezone.localtime(timezone.now(), timezone.get_default_timezone())
    status = station.opening_status(now, calendar)
    fragments.changes_at(request, status["changes_at"])
    parts = []
    if status["open"]:
        parts.append(_("until %(time)s") % {"time": status["closes"].strftime("%H:%M")})
    else:
        if status["holiday_today"]:
            parts.append(_("public holiday today"))
        opens = status["next_opens"]
        if opens is not None:
            time = opens.strftime("%H:%M")
            days = (opens.date() - now.date()).days
            if days == 0:
                parts.append(_("opens today at %(time)s") % {"time": time})
            elif days == 1:
                parts.append(_("opens tomorrow at %(time)s") % {"time": time})
            else:
                day = date_format(opens, pgettext("station next opening", "l j F"))
                parts.append(_("opens %(day)s at %(time)s") % {"day": day, "time": time})
    status["words"] = pgettext("list separator", ", ").join(parts)
    return status


@register.filter
def html_lang(code):
    """The BCP 47 tag for <html lang>: zh-Hans or en."""
    return "zh-Hans" if (code or "").lower() == "zh-hans" else (code or "en")


@register.filter
def is_section(path, url):
    """True when `path` is at or under the section `url` (for aria-current in the main nav)."""
    return bool(url) and (path or "").startswith(url) and url.rstrip("/").count("/") > 1


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, name, vary, until):
        self.nodelist, self.name, self.vary, self.until = nodelist, name, vary, until

    def render(self, context):
        request = context.get("request")
        if not fragments.cacheable(request):
            return self.nodelist.render(context)
        parts = [self.name.resolve(context), *(v.resolve(context) for v in self.vary)]
        key = fragment_key("html", request, None, *parts)
        html = fragments.get_html(key)
        if html is None:
            html = self.nodelist.render(context)
            until = self.until.resolve(context) if self.until is not None else None
            fragments.set_html(key, html, until)
        return mark_safe(html)  # noqa: S308 (rendered by this template, escaped as it was)


@register.tag
def cachedfragment(parser, token):
    """`{% cachedfragment "name" vary1 vary2 [until=expr] %}…{% endcachedfragment %}`: the
    enclosed HTML is kept across requests under the content version, the language, the host and
    the `vary` values (cms/fragments.py); `until` (resolved after rendering) is a time after
    which it is stale, e.g. the first expiry of the notices it lists. Not cached for previews and
    without settings.FRAGMENT_CACHE. Only for HTML that depends on content, never on the request
    or the time of day."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("cachedfragment needs a name")
    until = None
    vary = []
    for bit in bits[2:]:
        if bit.startswith("until="):
            until = parser.compile_filter(bit[len("until=") :])
        else:
            vary.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endcachedfragment",))
    parser.delete_first_token()
    return CachedFragmentNode(nodelist, parser.compile_filter(bits[1]), vary, until)


@register.filter
def earliest_expiry(notices):
    return fragments.earliest_expiry(notices)
