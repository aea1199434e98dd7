"""What editors publish: pages (home, notices, service guides, stations, FAQ page, standard
pages) and snippets (FAQs, FAQ categories, search synonym sets).

Search (cms.search) indexes FAQs and pages; the chatbot answers from them; the duty desk draws
canned replies from published FAQs. "Published" everywhere means: live, not expired, public.
"""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    DraftStateMixin,
    Locale,
    Orderable,
    Page,
    PageManager,
    PreviewableMixin,
    RevisionMixin,
    TranslatableMixin,
)
from wagtail.query import PageQuerySet
from wagtail.search import index

from portal.sanitize import strip_tags

from .blocks import BodyBlock, MaterialBlock, StepBlock
from .choices import NoticeCategory, SynonymLanguage, Weekday

# --- Site settings --------------------------------------------------------------------------


@register_setting(icon="site")
class BureauSettings(BaseSiteSetting):
    """The bureau's identity shown in the header and footer."""

    name = models.CharField(_("bureau name"), max_length=100, default="阳光市公安局")
    name_en = models.CharField(
        _("bureau name in English"), max_length=100, default="Sunshine City Public Security Bureau"
    )
    address = models.CharField(_("address"), max_length=200, blank=True, help_text=_("Shown on the Chinese pages."))
    address_en = models.CharField(
        _("address in English"),
        max_length=200,
        blank=True,
        help_text=_("Shown on the English pages; when empty they show the Chinese address."),
    )
    phone = models.CharField(_("switchboard phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("bureau")

    def address_for(self, lang):
        """The address to show on a page in `lang` ("en" or "zh-hans")."""
        if lang == "en" and self.address_en:
            return self.address_en
        return self.address


# --- Snippets -------------------------------------------------------------------------------


class FAQCategory(TranslatableMixin, models.Model):
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(pgettext_lazy("site", "slug"), max_length=80, help_text=_("Stable id used by imports"))
    sort_order = models.IntegerField(_("order"), default=0, help_text=_("Lower comes first"))

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("FAQ category")
        verbose_name_plural = _("FAQ categories")
        ordering = ["sort_order", "name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self):
        return self.name


class FAQAdminForm(WagtailAdminModelForm):
    """The FAQ editor: a key already used by another FAQ of the same language is a field error
    (the database's unique constraint would otherwise answer with a 500)."""

    def clean_key(self):
        key = self.cleaned_data.get("key")
        locale_id = self.instance.locale_id or Locale.get_default().pk
        clash = FAQ.objects.filter(key=key, locale_id=locale_id).exclude(pk=self.instance.pk)
        if key and clash.exists():
            raise ValidationError(
                _("Another FAQ in this language already has the key “%(key)s”: choose another key.") % {"key": key},
                code="unique",
            )
        return key


class FAQ(TranslatableMixin, DraftStateMixin, RevisionMixin, PreviewableMixin, index.Indexed, models.Model):
    """A question citizens ask, with its answer. The same `key` in two locales is one FAQ and
    its translation (they share translation_key)."""

    key = models.SlugField(
        _("key"), max_length=100, help_text=_("Stable id, shared by the translations (used by imports)")
    )
    question = models.CharField(_("question"), max_length=300)
    paraphrases = models.TextField(
        _("alternate phrasings"),
        blank=True,
        help_text=_("Other ways citizens ask this question, one per line (used by search)"),
    )
    answer = RichTextField(_("answer"), features=["bold", "italic", "link", "ol", "ul"])
    category = models.ForeignKey(
        FAQCategory, verbose_name=pgettext_lazy("site", "category"), on_delete=models.PROTECT, related_name="faqs"
    )
    related_guide = models.ForeignKey(
        "cms.ServiceGuidePage",
        verbose_name=_("related service guide"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faqs",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    base_form_class = FAQAdminForm
    panels = [
        FieldPanel("key"),
        FieldPanel("question"),
        FieldPanel("paraphrases"),
        FieldPanel("answer"),
        FieldPanel("category"),
        FieldPanel("related_guide"),
    ]

    search_fields = [
        index.SearchField("question", boost=3),
        index.SearchField("paraphrases"),
        index.SearchField("segmented_text"),
        index.AutocompleteField("question"),
        index.FilterField("locale_id"),
        index.FilterField("live"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("FAQ")
        verbose_name_plural = _("FAQs")
        ordering = ["category__sort_order", "question"]
        unique_together = [("translation_key", "locale"), ("key", "locale")]

    def __str__(self):
        return self.question

    @property
    def paraphrase_list(self):
        return [line.strip() for line in self.paraphrases.splitlines() if line.strip()]

    @property
    def answer_text(self):
        return strip_tags(self.answer)

    def segmented_text(self):
        """Question, phrasings and answer segmented by jieba and space-joined, so that Wagtail's
        database search backend (the admin's search) can match Chinese words."""
        from cms.search.analysis import segment_for_database

        return segment_for_database(" ".join([self.question, *self.paraphrase_list, self.answer_text]))

    def get_url(self, request=None):
        """The FAQ page of this FAQ's locale, anchored at the question."""
        faq_page = FAQIndexPage.objects.live().filter(locale_id=self.locale_id).first()
        if faq_page is None:
            return None
        base = faq_page.get_url(request=request)
        return f"{base}#faq-{self.key}" if base else None

    def get_preview_template(self, request, mode_name):
        return "cms/faq_preview.html"

    def copy_for_translation(self, locale, exclude_fields=None):
        """A new translation (admin "Translate" action) starts as an unpublished draft: Wagtail
        would otherwise copy the source's live state and revision, publishing untranslated text."""
        copy = super().copy_for_translation(locale, exclude_fields=exclude_fields)
        copy.live = False
        copy.has_unpublished_changes = True
        copy.live_revision = None
        copy.latest_revision = None
        copy.first_published_at = None
        copy.last_published_at = None
        return copy


class SynonymSet(models.Model):
    """Words citizens use interchangeably (驾照 = 驾驶证), expanded at query time by search."""

    language = models.CharField(_("language"), max_length=10, choices=SynonymLanguage.choices)
    terms = models.TextField(
        _("terms"),
        help_text=_("Words that mean the same, separated by commas, = or new lines"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    enabled = models.BooleanField(
        _("enabled"), default=True, help_text=_("Switched off, search does not use this set (it is kept)")
    )
    # The key of a built-in set of the police lexicon (cms/search/lexicon.py), installed by a
    # migration; empty for the editors' own sets, which upgrades never touch.
    builtin_key = models.CharField(_("built-in key"), max_length=60, blank=True, default="", editable=False)

    panels = [FieldPanel("language"), FieldPanel("terms"), FieldPanel("note"), FieldPanel("enabled")]

    class Meta:
        verbose_name = _("synonym set")
        verbose_name_plural = _("synonym sets")
        ordering = ["language", "id"]

    def __str__(self):
        return " = ".join(self.term_list)

    @property
    def is_builtin(self):
        return bool(self.builtin_key)

    is_builtin.fget.short_description = _("built-in")
    is_builtin.fget.boolean = True

    @property
    def term_list(self):
        import re

        return [t.strip() for t in re.split(r"[,，=＝\n、;；]", self.terms) if t.strip()]


# --- Pages ----------------------------------------------------------------------------------


class BasePage(Page):
    """Common helpers; abstract."""

    class Meta:
        abstract = True

    def search_text(self):
        """Plain body text for the search index (title and summary are indexed separately)."""
        return ""

    def prepare_for_cache(self):
        """Fetch what every view of this page reads, before the routed page is cached across
        requests (cms.fragments.serve)."""

    def get_view_restrictions(self):
        """The restrictions of this page and its ancestors; the rows that came with a cached
        route (cms.fragments.serve) when there are any, else Wagtail's query."""
        cached = getattr(self, "_portal_view_restrictions", None)
        if cached is not None:
            return cached
        return super().get_view_restrictions()


class HomePage(BasePage):
    intro = models.TextField(_("introduction"), blank=True, help_text=_("One or two sentences under the bureau name"))
    featured_guides = ParentalManyToManyField(
        "cms.ServiceGuidePage",
        blank=True,
        related_name="+",
        verbose_name=_("most used service guides"),
        help_text=_("Shown on the home page; the first six are shown"),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("featured_guides")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.NoticeIndexPage",
        "cms.ServiceGuideIndexPage",
        "cms.FAQIndexPage",
        "cms.StationIndexPage",
        "cms.StandardPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def child_of_type(self, model):
        return model.objects.live().public().child_of(self).first()

    def home_notices(self, limit=6):
        """Pinned notices first, then the latest; expired ones are left out."""
        return (
            NoticePage.objects.live()
            .public()
            .descendant_of(self)
            .current()
            .filter(locale_id=self.locale_id)
            .order_by("-pinned", "-date", "-id")[:limit]
        )

    def home_guides(self, limit=6):
        """The featured guides (live, in order chosen), else the first guides of the index."""
        featured = [g for g in self.featured_guides.all() if g.live and g.locale_id == self.locale_id]
        if featured:
            return featured[:limit]
        return list(
            ServiceGuidePage.objects.live()
            .public()
            .descendant_of(self)
            .filter(locale_id=self.locale_id)
            .order_by("path")[:limit]
        )

    def sections(self):
        """The section index pages (base Page objects: only linked), in one query."""
        models_by_name = {
            "notice_index": NoticeIndexPage,
            "guide_index": ServiceGuideIndexPage,
            "faq_index": FAQIndexPage,
            "station_index": StationIndexPage,
        }
        types = {ContentType.objects.get_for_model(model).id: name for name, model in models_by_name.items()}
        found = {}
        for child in Page.objects.live().public().child_of(self).filter(content_type_id__in=types).order_by("path"):
            found.setdefault(types[child.content_type_id], child)
        return {name: found.get(name) for name in models_by_name}

    def get_context(self, request, *args, **kwargs):
        # Callables, called by the template when it renders them: when the page's lists come
        # from the fragment cache (templates/cms/home_page.html) none of these queries runs.
        context = super().get_context(request, *args, **kwargs)
        context["notices"] = once(lambda: list(self.home_notices()))
        context["guides"] = once(self.home_guides)
        sections = once(self.sections)
        for name in ("notice_index", "guide_index", "faq_index", "station_index"):
            context[name] = once(lambda name=name: sections()[name])
        return context


def once(build):
    """A zero-argument callable that calls `build` the first time only (a lazy context value:
    Django templates call callables)."""
    import functools

    return functools.cache(build)


class StandardPage(BasePage):
    """About, privacy notice, accessibility statement and similar pages."""

    summary = models.TextField(_("summary"), blank=True, help_text=_("Shown in listings and search results"))
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")

    def search_text(self):
        return strip_tags(str(self.body))


class NoticeIndexPage(BasePage):
    page_size = 10

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NoticePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("notice index")

    def notices(self, category=None):
        qs = NoticePage.objects.live().public().child_of(self).current().order_by("-pinned", "-date", "-id")
        if category:
            qs = qs.filter(category=category)
        return qs

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        category = request.GET.get("category", "")
        if category not in NoticeCategory.values:
            category = ""
        paginator = Paginator(self.notices(category), self.page_size)
        page_obj = paginator.get_page(request.GET.get("page"))
        context.update(
            category=category,
            categories=NoticeCategory.choices,
            page_obj=page_obj,
            notices=page_obj.object_list,
            paginator=paginator,
        )
        return context


class NoticePageQuerySet(PageQuerySet):
    def current(self, at=None):
        """Notices that have not expired (at `at`, default now)."""
        at = at or timezone.now()
        return self.filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=at))


NoticePageManager = PageManager.from_queryset(NoticePageQuerySet)


class NoticePage(BasePage):
    """A notice (通知公告, 警情通报, 警务公开, 防范提示). After `expires_at` it leaves every listing,
    feed and search result, and its own page says that it has expired."""

    category = models.CharField(pgettext_lazy("site", "category"), max_length=20, choices=NoticeCategory.choices)
    department = models.CharField(_("issuing department"), max_length=100)
    date = models.DateField(_("publish date"), default=dt.date.today, help_text=_("The date shown on the notice"))
    expires_at = models.DateTimeField(
        _("expires"), null=True, blank=True, help_text=_("Optional: after this moment the notice is withdrawn")
    )
    pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Keep at the top of listings and the home page")
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("Shown in listings, feeds and search results"))
    body = StreamField(BodyBlock(), verbose_name=_("body"))

    objects = NoticePageManager()

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("category"), FieldPanel("department")]),
                FieldRowPanel([FieldPanel("date"), FieldPanel("expires_at")]),
                FieldPanel("pinned"),
            ],
            heading=_("Notice details"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("Attachments")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("segmented_text"),
        index.FilterField("category"),
    ]
    parent_page_types = ["cms.NoticeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("notice")

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()

    def search_text(self):
        return strip_tags(str(self.body))

    def segmented_text(self):
        from cms.search.analysis import segment_for_database

        return segment_for_database(" ".join([self.title, self.summary, self.search_text()]))


class NoticeAttachment(Orderable):
    page = ParentalKey(NoticePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("link text"), max_length=200, blank=True, help_text=_("The document title if empty"))

    panels = [FieldPanel("document"), FieldPanel("title")]


class ServiceGuideIndexPage(BasePage):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ServiceGuidePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("service guide index")

    def guides(self):
        return ServiceGuidePage.objects.live().public().child_of(self).order_by("path")


class ServiceGuidePage(BasePage):
    """A service guide (办事指南) in structured fields: who, what to bring, steps, fees, time
    limit, legal basis, where and when, forms, related FAQs."""

    summary = models.TextField(_("summary"), help_text=_("One sentence: what this service is"))
    service_area = models.CharField(
        _("service area"), max_length=60, blank=True, help_text=_("e.g. household registration, exit-entry, traffic")
    )
    eligibility = RichTextField(_("who may apply"), features=["bold", "link", "ol", "ul"])
    materials = StreamField([("material", MaterialBlock())], verbose_name=_("required materials"))
    steps = StreamField([("step", StepBlock())], verbose_name=_("steps"))
    fees = models.TextField(_("fees"), help_text=_("Amount and legal basis of any fee, or 'free of charge'"))
    time_limit = models.CharField(_("statutory time limit"), max_length=200, help_text=_("e.g. 20 working days"))
    legal_basis = RichTextField(_("legal basis"), blank=True, features=["bold", "italic", "link", "ul"])
    where_and_when = models.TextField(_("where and when"), blank=True, help_text=_("Windows, hours, online options"))
    stations = ParentalManyToManyField("cms.StationPage", blank=True, related_name="guides", verbose_name=_("stations"))
    last_reviewed = models.DateField(_("last reviewed"), default=dt.date.today)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("service_area"),
        FieldPanel("eligibility"),
        FieldPanel("materials"),
        FieldPanel("steps"),
        FieldRowPanel([FieldPanel("fees"), FieldPanel("time_limit")]),
        FieldPanel("legal_basis"),
        MultiFieldPanel([FieldPanel("where_and_when"), FieldPanel("stations")], heading=_("Where and when")),
        InlinePanel("forms", label=_("Downloadable forms")),
        FieldPanel("last_reviewed"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("segmented_text"),
    ]
    parent_page_types = ["cms.ServiceGuideIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("service guide")

    def search_text(self):
        parts = [strip_tags(self.eligibility)]
        parts += [f"{b.value['name']} {b.value['note']}" for b in self.materials]
        parts += [f"{b.value['title']} {b.value['description']}" for b in self.steps]
        parts += [self.fees, self.time_limit, strip_tags(self.legal_basis), self.where_and_when]
        return " ".join(p for p in parts if p)

    def segmented_text(self):
        from cms.search.analysis import segment_for_database

        return segment_for_database(" ".join([self.title, self.summary, self.search_text()]))

    def published_faqs(self):
        """Published FAQs of this guide's language that name this guide (or its translation)."""
        return FAQ.objects.filter(
            live=True, locale_id=self.locale_id, related_guide__translation_key=self.translation_key
        ).order_by("question")

    def live_stations(self):
        # Opening hours fetched with the stations: "open now" needs them for each one.
        return list(self.stations.filter(live=True).prefetch_related("hours"))

    def get_context(self, request, *args, **kwargs):
        from .fragments import cached_value

        context = super().get_context(request, *args, **kwargs)
        context["faqs"] = self.published_faqs()  # lazy: not read when the body is a cached fragment
        # The stations with their hours (kept across requests: "open now" is worked out per request).
        context["station_list"] = cached_value(request, "guide-stations", self.live_stations, self.pk)
        return context


class ServiceGuideForm(Orderable):
    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="forms")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("link text"), max_length=200, blank=True, help_text=_("The document title if empty"))

    panels = [FieldPanel("document"), FieldPanel("title")]


class FAQIndexPage(BasePage):
    """Lists the published FAQs of its locale, grouped by category."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("FAQ page")

    def grouped_faqs(self):
        faqs = (
            FAQ.objects.filter(live=True, locale_id=self.locale_id)
            .select_related("category", "related_guide")
            .order_by("category__sort_order", "category__name", "question")
        )
        groups = {}
        for faq in faqs:
            groups.setdefault(faq.category, []).append(faq)
        return list(groups.items())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["groups"] = self.grouped_faqs()
        return context


class StationIndexPage(BasePage):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.StationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("station directory")

    def stations(self):
        return StationPage.objects.live().public().child_of(self).order_by("path").prefetch_related("hours")

    def get_context(self, request, *args, **kwargs):
        from .fragments import cached_value

        context = super().get_context(request, *args, **kwargs)
        # With their hours, kept across requests ("open now" is worked out per request).
        context["station_list"] = cached_value(request, "stations", lambda: list(self.stations()), self.pk)
        return context


class StationPage(BasePage):
    """A police station (派出所) or service hall, with its opening hours."""

    address = models.CharField(_("address"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40)
    jurisdiction = models.TextField(_("jurisdiction"), help_text=_("Streets and communities this station serves"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("jurisdiction"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")], heading=_("Coordinates")),
        InlinePanel("hours", label=_("Opening hours")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("address"), index.SearchField("jurisdiction")]
    parent_page_types = ["cms.StationIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("police station")

    def search_text(self):
        return f"{self.address} {self.phone} {self.jurisdiction}"

    def prepare_for_cache(self):
        from django.db.models import prefetch_related_objects

        prefetch_related_objects([self], "hours")  # the page and "open now" read them

    def periods_on(self, day, calendar=None):
        """Open periods on `day` (a date), in order. None on a public holiday of the official
        schedule (desk.HolidaySchedule); a make-up working day (调休) on a weekend keeps the
        Monday hours. A year without a schedule uses the weekly hours (the desk warns staff)."""
        from desk.choices import DayKind
        from desk.deadlines import Calendar

        kind = (calendar or Calendar()).kind(day)
        if kind == DayKind.HOLIDAY:
            return []
        weekday = day.weekday()
        if kind == DayKind.WORKDAY and weekday >= 5:
            weekday = 0
        return sorted((h for h in self.hours.all() if h.weekday == weekday and not h.closed), key=lambda h: h.opens)

    def is_open(self, at=None, calendar=None):
        """True when the station is open at `at` (default: now), in the bureau's time zone."""
        local = timezone.localtime(at or timezone.now(), timezone.get_default_timezone())
        now_time = local.time()
        return any(h.opens <= now_time < h.closes for h in self.periods_on(local.date(), calendar))

    def opening_status(self, at=None, calendar=None, horizon_days=21):
        """What the station page says: open now (and until when), or when it next opens, and
        whether today is a public holiday. `next_opens` is None when no opening is scheduled
        within `horizon_days`."""
        from desk.choices import DayKind
        from desk.deadlines import Calendar

        calendar = calendar or Calendar()
        tz = timezone.get_default_timezone()
        local = timezone.localtime(at or timezone.now(), tz)
        today = local.date()
        midnight = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
        status = {
            "open": False,
            "closes": None,
            "next_opens": None,
            "holiday_today": calendar.kind(today) == DayKind.HOLIDAY,
            # When what the page says next changes: closing, opening, or midnight ("today",
            # "tomorrow" and the holiday flag move on). A cached page is not kept past it.
            "changes_at": midnight,
        }
        for period in self.periods_on(today, calendar):
            if period.opens <= local.time() < period.closes:
                closes = dt.datetime.combine(today, period.closes, tzinfo=tz)
                status.update(open=True, closes=period.closes, changes_at=min(closes, midnight))
                return status
        for offset in range(horizon_days + 1):
            day = today + dt.timedelta(days=offset)
            for period in self.periods_on(day, calendar):
                start = dt.datetime.combine(day, period.opens, tzinfo=tz)
                if start > local:
                    status["next_opens"] = start
                    status["changes_at"] = min(start, midnight)
                    return status
        return status

    @cached_property
    def hours_by_day(self):
        rows = {}
        for h in self.hours.all():
            rows.setdefault(h.weekday, []).append(h)
        return [(Weekday(day).label, rows.get(day, [])) for day in Weekday.values]

    def hours_rows(self, at=None):
        """One row per weekday (Monday first): label, open periods (none = closed), today."""
        today = timezone.localtime(at or timezone.now(), timezone.get_default_timezone()).weekday()
        periods = {}
        for h in sorted(self.hours.all(), key=lambda h: (h.weekday, h.opens)):
            if not h.closed:
                periods.setdefault(h.weekday, []).append(h)
        return [
            {"label": Weekday(day).label, "periods": periods.get(day, []), "today": day == today}
            for day in Weekday.values
        ]


class StationHours(Orderable):
    """One opening period on one weekday; several rows make a split day (lunch break)."""

    station = ParentalKey(StationPage, on_delete=models.CASCADE, related_name="hours")
    weekday = models.IntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"), default=dt.time(9, 0))
    closes = models.TimeField(_("closes"), default=dt.time(17, 0))
    closed = models.BooleanField(_("closed all day"), default=False)

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes"), FieldPanel("closed")])]

    class Meta(Orderable.Meta):
        verbose_name = _("opening hours")


from cms.search.changelog import IndexChange  # noqa: E402, F401 (the change log: cms/search/changelog.py)
from cms.search.searchlog import SearchLog  # noqa: E402, F401 (searches with no click: cms/search/searchlog.py)
