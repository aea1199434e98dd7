"""`manage.py seed_demo`: the bilingual demo site, staff groups and demo users. Idempotent.

Order (docs/content.md and the team plan): locales → site and pages (zh-hans pages, then their
English translations made with Wagtail's copy_for_translation) → FAQs from cms/demo/faqs.jsonl
via cms.faq_import.import_faqs, linked to their guides → groups, demo users and the notice
moderation workflow → cms.search.demo.seed() → desk.demo.seed() → chatbot.demo.seed().

Everything is looked up before it is created, and nothing that exists is rewritten, so a second
run adds no page, revision, document, user or FAQ (and an editor's later changes to demo pages
survive). Demo users have a published password: the command refuses to create them when DEBUG is
off; `--no-users` seeds the content alone.
"""

import importlib
import logging
from collections import Counter
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models.signals import post_save
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from cms import factories as f
from cms.demo import FAQS_FILE
from cms.demo.documents import DOCUMENTS, make_pdf
from cms.demo.faq_links import FAQ_GUIDES
from cms.demo.guides import FEATURED, GUIDES
from cms.demo.notices import NOTICES
from cms.demo.pages import STANDARD_PAGES
from cms.demo.stations import STATIONS
from cms.demo.users import GROUPS, USERS
from cms.models import FAQ, NoticeAttachment, NoticePage, ServiceGuideForm, ServiceGuidePage, StandardPage, StationPage

REFUSE_USERS = (
    "Refusing to create the demo users (editor, duty, supervisor) because DEBUG is off: their "
    "password is published in the README. Run `manage.py seed_demo --no-users` to seed the demo "
    "content without users."
)

# Other apps' demo seeds, called in this order after pages, FAQs, groups and users exist.
APP_SEEDS = ["cms.search.demo", "desk.demo", "chatbot.demo"]


def split_title(title):
    """Document titles are "中文 / English"; a form link shows the part for its language."""
    zh, _, en = title.partition(" / ")
    return zh.strip(), (en or zh).strip()


@contextmanager
def deferred_indexing():
    """Update Wagtail's search and reference indexes once per saved object, at the end.

    Creating and publishing a page saves it three to five times (add_child, revision, publish,
    translation copy), and each save re-indexes it (segmenting all its text). Seeding with the
    per-save updates off and one update per object afterwards does the same work a third as
    often. The portal's own search index (cms.search) is updated by its own signals as usual.
    """
    from modelsearch import index as search_index
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.models import ReferenceIndex
    from wagtail.signal_handlers import disable_reference_index_auto_update

    searchable = [m for m in search_index.get_indexed_models() if getattr(m, "search_auto_update", True)]
    saved = {}
    wanted = {}  # model -> whether either index cares about it

    def remember(sender, instance, raw=False, **kwargs):
        if sender not in wanted:
            wanted[sender] = sender in searchable or ReferenceIndex.model_is_indexable(sender)
        if wanted[sender] and not raw:
            saved[(sender, instance.pk)] = None

    for model in searchable:
        post_save.disconnect(post_save_signal_handler, sender=model)
    post_save.connect(remember, weak=False, dispatch_uid="seed_demo.deferred_indexing")
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        post_save.disconnect(dispatch_uid="seed_demo.deferred_indexing")
        for model in searchable:
            post_save.connect(post_save_signal_handler, sender=model)
    for model, pk in saved:
        obj = model._default_manager.filter(pk=pk).first()
        if obj is None:
            continue
        if model in searchable:
            search_index.insert_or_update_object(obj)
        if ReferenceIndex.model_is_indexable(model):
            ReferenceIndex.create_or_update_for_object(obj)


@contextmanager
def quiet_loggers(names, level=logging.WARNING):
    """Wagtail logs every page creation, revision and background task at INFO: thousands of lines
    while seeding. Hold them back (unless -v 2) so the summary and the logins stay readable."""
    loggers = [logging.getLogger(name) for name in names]
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(level)
    try:
        yield
    finally:
        for logger, old in zip(loggers, previous, strict=True):
            logger.setLevel(old)


class Command(BaseCommand):
    help = "Create the bilingual demo content, staff groups and demo users (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-users",
            action="store_true",
            help="Seed content, groups and other apps' demo data, but no demo users (allowed with DEBUG off).",
        )

    def handle(self, *args, no_users=False, verbosity=1, **options):
        if not no_users and not settings.DEBUG:
            raise CommandError(REFUSE_USERS)
        self.created = Counter()
        noisy = ["wagtail", "django_tasks"] if verbosity < 2 else []
        with quiet_loggers(noisy):
            with transaction.atomic(), deferred_indexing():
                tree = self.seed_pages()
                self.seed_faqs()
                self.seed_groups(tree)
                if not no_users:
                    self.seed_users()
                self.seed_workflow()
            for module_name in APP_SEEDS:
                importlib.import_module(module_name).seed(stdout=self.stdout)
        self.report(no_users)

    # --- Pages --------------------------------------------------------------------------

    def count(self, kind, created):
        if created:
            self.created[kind] += 1

    def seed_pages(self):
        before = f.HomePage.objects.first()
        tree = f.build_site()
        if before is None:
            self.created["site structure (homes and sections, both languages)"] += 1
        self.documents = self.seed_documents()
        stations = self.seed_stations(tree)
        guides = self.seed_guides(tree, stations)
        self.seed_featured(tree, guides)
        self.seed_notices(tree)
        self.seed_standard_pages(tree)
        return tree

    def seed_documents(self):
        documents = {}
        for key, (title, filename, pdf_title, lines) in DOCUMENTS.items():
            doc, created = f.ensure_document(title, filename, make_pdf(pdf_title, lines))
            self.count("documents", created)
            documents[key] = doc
        return documents

    def translate(self, page, fields, kind):
        translated, created = f.ensure_translation(page, self.en_locale, fields)
        self.count(kind, created)
        return translated

    def seed_stations(self, tree):
        self.en_locale = tree.en_locale
        stations = {}
        for item in STATIONS:

            def fields(item=item):
                return {
                    **item["zh"],
                    "phone": item["phone"],
                    "latitude": item["latitude"],
                    "longitude": item["longitude"],
                    "hours": f.hour_rows(item["hours"], item["closed"]),
                }

            zh, created = f.ensure_page(tree.zh.stations, StationPage, item["slug"], fields)
            self.count("station pages", created)
            # The opening hours are copied by copy_for_translation; only the texts change.
            en = self.translate(zh, item["en"], "station pages")
            stations[item["slug"]] = (zh, en)
        return stations

    def seed_guides(self, tree, stations):
        guides = {}
        for item in GUIDES:

            def fields(item=item, lang="zh"):
                texts = dict(item[lang])
                index = 0 if lang == "zh" else 1
                return {
                    **texts,
                    "materials": f.material_stream(texts["materials"]),
                    "steps": f.step_stream(texts["steps"]),
                    "last_reviewed": item["last_reviewed"],
                    "stations": [stations[slug][index] for slug in item["stations"]],
                    "forms": [
                        ServiceGuideForm(
                            document=self.documents[key], title=split_title(self.documents[key].title)[index]
                        )
                        for key in item["forms"]
                    ],
                }

            zh, created = f.ensure_page(tree.zh.guides, ServiceGuidePage, item["slug"], fields)
            self.count("service guide pages", created)
            en = self.translate(zh, lambda item=item: fields(item, "en"), "service guide pages")
            guides[item["slug"]] = (zh, en)
        return guides

    def seed_featured(self, tree, guides):
        """The six most used guides on each home page, set once (an editor may change them)."""
        for index, home in ((0, tree.zh.home), (1, tree.en.home)):
            # Fresh from the database: the in-memory home has a stale numchild (children were added
            # through other instances), and saving it would corrupt the tree.
            home = f.HomePage.objects.get(pk=home.pk)
            if home.featured_guides.exists():
                continue
            home.featured_guides = [guides[slug][index] for slug in FEATURED]
            home.save()
            f.publish(home)
            self.created["home pages with featured guides"] += 1

    def body(self, blocks, index):
        stream = []
        for kind, value in blocks:
            if kind == "document":
                doc = self.documents[value]
                stream.append(
                    {"type": "document", "value": {"document": doc.pk, "title": split_title(doc.title)[index]}}
                )
            else:
                stream.append({"type": kind, "value": value})
        return stream

    def seed_notices(self, tree):
        for item in NOTICES:

            def fields(item=item, lang="zh"):
                index = 0 if lang == "zh" else 1
                texts = dict(item[lang])
                return {
                    **texts,
                    "body": self.body(texts["body"], index),
                    "category": item["category"],
                    "date": item["date"],
                    "expires_at": item["expires_at"],
                    "pinned": item["pinned"],
                    "attachments": [
                        NoticeAttachment(
                            document=self.documents[key], title=split_title(self.documents[key].title)[index]
                        )
                        for key in item["attachments"]
                    ],
                }

            zh, created = f.ensure_page(tree.zh.notices, NoticePage, item["slug"], fields)
            self.count("notice pages", created)
            self.translate(zh, lambda item=item: fields(item, "en"), "notice pages")

    def seed_standard_pages(self, tree):
        for item in STANDARD_PAGES:

            def fields(item=item, lang="zh"):
                texts = dict(item[lang])
                return {**texts, "body": self.body(texts["body"], 0 if lang == "zh" else 1)}

            zh, created = f.ensure_page(tree.zh.home, StandardPage, item["slug"], fields)
            self.count("standard pages", created)
            self.translate(zh, lambda item=item: fields(item, "en"), "standard pages")

    # --- FAQs ---------------------------------------------------------------------------

    def seed_faqs(self):
        from cms.faq_import import import_faqs

        result = import_faqs(FAQS_FILE)
        if result.created:
            self.created["FAQs (per language)"] += result.created
        for key, slug in FAQ_GUIDES.items():
            for faq in FAQ.objects.filter(key=key).select_related("locale"):
                guide = ServiceGuidePage.objects.filter(slug=slug, locale=faq.locale).first()
                if guide is None or faq.related_guide_id == guide.pk or faq.has_unpublished_changes:
                    continue
                faq.related_guide = guide
                f.publish(faq)
                self.created["FAQ links to guides"] += 1

    # --- Groups, users, workflow --------------------------------------------------------

    def permission(self, dotted):
        app_label, codename = dotted.split(".")
        return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()

    def seed_groups(self, tree):
        root_collection = f.ensure_root_collection()
        homes = [tree.zh.home, tree.en.home]
        for name, spec in GROUPS.items():
            group, created = Group.objects.get_or_create(name=name)
            self.count("groups", created)
            wanted = []
            for dotted in spec["permissions"]:
                perm = self.permission(dotted)
                if perm is None:
                    raise CommandError(f"Permission {dotted} does not exist: run `manage.py migrate` first.")
                wanted.append(perm)
            wanted += [p for p in map(self.permission, spec["optional_permissions"]) if p is not None]
            missing = set(wanted) - set(group.permissions.all())
            if missing:
                group.permissions.add(*missing)
            for codename in spec["page_permissions"]:
                perm = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
                for home in homes:
                    GroupPagePermission.objects.get_or_create(group=group, page=home, permission=perm)
            publish = Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")
            for home in homes:
                for slug in spec["publish_sections"]:
                    section = f.child(home, slug)
                    if section is not None:
                        GroupPagePermission.objects.get_or_create(group=group, page=section, permission=publish)
                if spec["publish_sections"]:
                    # Demo databases seeded before notices were moderated granted publish on the home.
                    GroupPagePermission.objects.filter(group=group, page=home, permission=publish).delete()
            for dotted in spec["collection_permissions"]:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=self.permission(dotted)
                )

    def seed_users(self):
        User = get_user_model()
        for spec in USERS:
            user = User.objects.filter(username=spec["username"]).first()
            if user is None:
                user = User(
                    username=spec["username"],
                    first_name=spec["first_name"],
                    last_name=spec["last_name"],
                    email=spec["email"],
                )
                user.set_password(settings.PORTAL_DEMO_PASSWORD)
                user.save()
                self.created["demo users"] += 1
            groups = Group.objects.filter(name__in=spec["groups"])
            missing = set(groups) - set(user.groups.all())
            if missing:
                user.groups.add(*missing)

    def seed_workflow(self):
        """Notices go through Wagtail's "通知审核 / Notice moderation" workflow (cms.workflows)."""
        from cms.workflows import ensure_notice_workflow

        ensure_notice_workflow()

    # --- Report -------------------------------------------------------------------------

    def report(self, no_users):
        out = self.stdout
        if self.created:
            out.write(self.style.SUCCESS("Demo content created:"))
            for kind, number in self.created.items():
                out.write(f"  {kind}: {number}")
        else:
            out.write(self.style.SUCCESS("Demo content already present: nothing to do."))
        if no_users:
            out.write("No demo users (--no-users).")
            return
        out.write("")
        out.write("Demo logins at /admin/ (password from PORTAL_DEMO_PASSWORD):")
        for spec in USERS:
            out.write(f"  {spec['username']:<11} {settings.PORTAL_DEMO_PASSWORD}   {spec['role']}")
