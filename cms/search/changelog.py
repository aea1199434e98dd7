"""A change log in the database, so that every host keeps its own search index (and its own
nginx page cache) current.

The index update path (`signals.flush`, after a transaction commits) writes one `IndexChange`
row per object it re-synced, empties this host's nginx page cache at once (`portal.pagecache`)
and wakes the followers: `NOTIFY` on PostgreSQL, a Redis message when REDIS_URL is set (and the
database is not PostgreSQL), nothing on SQLite (one host: its follower polls every 50 ms). Every
host runs a follower (`manage.py follow_changes`, started by `make serve-prod` and the
`portal-follow` systemd unit) that wakes on that signal (and polls anyway every half second, in
case a signal was lost), reads the new rows with one cheap indexed query (`id > position`),
empties its page cache first (readers wait for that, not for the index), purges once more a
moment later (`SETTLE`: a response that was on its way to nginx during the first purge), then
applies the rows through the same facade the signals use (`index.sync`). The position is kept
in the index directory, so every process of one host shares it and a restart resumes where it
stopped.

The follower is also the clock for content that changes with time: it wakes when the next
go-live or expiry date set in the admin (Wagtail's `go_live_at`/`expire_at`) or a notice's
`expires_at` comes, runs Wagtail's scheduled publishing (one host at a time: a PostgreSQL
advisory lock) and empties the cache, so a scheduled change is seen as quickly as a publish.

Ids come from a sequence and concurrent transactions may commit out of order (id 11 visible
before id 10), so the follower also re-reads the rows of the last `LOOKBACK` seconds and skips
the ids it has already applied. Rows older than `KEEP` are deleted by the followers.
"""

import datetime as dt
import io
import logging
import queue
import threading
import time

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

logger = logging.getLogger(__name__)

# The signals' item kinds and the model labels stored for them.
LABELS = {"page": "wagtailcore.page", "faq": "cms.faq"}
KINDS = {label: kind for kind, label in LABELS.items()}
LOOKBACK = dt.timedelta(seconds=30)
KEEP = dt.timedelta(days=2)
POSITION_FILE = "changelog.position"
CHANNEL = "portal_changes"  # PostgreSQL NOTIFY channel and Redis pub/sub channel
SETTLE = 0.3  # seconds between a follower's purge and its second one
SCHEDULE_LOCK = 0x5041_4745  # pg advisory lock id for scheduled publishing (b"PAGE")


class IndexChange(models.Model):
    """One object whose search document (and public pages) may have changed."""

    class Action(models.TextChoices):
        SYNC = "sync", "sync"  # re-read the object: index it if published and public, else remove
        SYNONYMS = "synonyms", "synonyms"  # the synonym sets changed
        SETTINGS = "settings", "settings"  # site settings shown on every page changed

    model_label = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices, default=Action.SYNC)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        app_label = "cms"
        ordering = ["id"]

    def __str__(self):
        return f"{self.id} {self.action} {self.model_label}:{self.object_id}"

    @property
    def item(self):
        kind = KINDS.get(self.model_label)
        if self.action != self.Action.SYNC or kind is None:
            return None
        try:
            return (kind, int(self.object_id))
        except ValueError:
            return None


def record(items=(), action=IndexChange.Action.SYNC, label=""):
    """Write the change log rows for (kind, pk) items (or one row of another action), empty
    this host's page cache and wake every host's follower. Called after the content change has
    committed.

    The rows come before the purge: they move the content version under which the page servers
    keep routes and fragments (cms/fragments.py). A page rendered between a purge and the rows
    read the old version, hence the old page from the fragment cache, without the purge's
    generation check noticing (it started after the purge), and nginx stored it for the
    cache's lifetime: nothing but a follower's later purge removed it (a host whose follower was
    stopped kept it)."""
    from portal import pagecache

    if action == IndexChange.Action.SYNC:
        rows = [IndexChange(model_label=LABELS[kind], object_id=str(pk)) for kind, pk in items if kind in LABELS]
    else:
        rows = [IndexChange(model_label=label, action=action)]
    try:
        if rows:
            IndexChange.objects.bulk_create(rows)
    finally:
        pagecache.purge()  # this host's readers need nothing else
    if rows:
        notify()


def wake_method():
    """How followers are woken: "postgres" (LISTEN/NOTIFY), "redis" (pub/sub) or "poll"."""
    if connection.vendor == "postgresql":
        return "postgres"
    if getattr(settings, "REDIS_URL", ""):
        return "redis"
    return "poll"


_redis_clients = {}  # REDIS_URL -> client: one per address, so a changed setting is followed


def _redis():
    url = settings.REDIS_URL
    client = _redis_clients.get(url)
    if client is None:
        import redis

        client = _redis_clients[url] = redis.Redis.from_url(url, socket_timeout=5)
    return client


def notify():
    """Wake the followers now (their fallback poll catches anything lost here)."""
    try:
        method = wake_method()
        if method == "postgres":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_notify(%s, '')", [CHANNEL])
        elif method == "redis":
            _redis().publish(CHANNEL, b"1")
    except Exception:
        logger.warning("change log: could not wake the followers (they poll)", exc_info=True)


def record_synonyms():
    record(action=IndexChange.Action.SYNONYMS, label="cms.synonymset")


def _on_settings_saved(sender, instance, **kwargs):
    from django.db import transaction

    transaction.on_commit(
        lambda: record(action=IndexChange.Action.SETTINGS, label=sender._meta.label_lower), robust=True
    )


def connect():
    """Site settings shown on every page (the footer's bureau name, address, phone)."""
    from django.db.models.signals import post_save

    from cms.models import BureauSettings

    post_save.connect(_on_settings_saved, sender=BureauSettings, dispatch_uid="changelog_settings_saved")


def latest_id():
    return IndexChange.objects.order_by("-id").values_list("id", flat=True).first() or 0


def latest_version():
    """The latest row's id and creation time ("0" for an empty log): a name for the content as
    it is now, for keys in a cache that outlives the database (Redis). The id alone is not
    enough: another database's log reaches the same ids with other content (a restored backup,
    a database created again, staging next to production on one Redis, the test suites on
    SQLite and then on PostgreSQL), and a key made of it would serve that content's fragments."""
    row = IndexChange.objects.order_by("-id").values_list("id", "created").first()
    if row is None:
        return "0"
    pk, created = row
    return f"{pk}.{int(created.timestamp() * 1_000_000)}"


# --- Following ------------------------------------------------------------------------------


def _position_path():
    from . import index

    return index.index_dir() / POSITION_FILE


def read_position():
    try:
        return int(_position_path().read_text().strip() or 0)
    except (FileNotFoundError, ValueError):
        return None


def write_position(position):
    path = _position_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(str(position))
    tmp.replace(path)


class Follower:
    """Applies new change log rows to this host's index and page cache (one per host)."""

    def __init__(self, background=False):
        self.position = read_position()
        if self.position is None:
            # A fresh index directory: its index was (or is about to be) rebuilt from the
            # database, which already contains every logged change.
            self.position = latest_id()
            write_position(self.position)
        self.seen = {}  # id -> created, for the look-back window
        self.last_expiry_check = timezone.now()
        self.settle_at = None  # monotonic time of the second purge, if one is pending
        # With `background`, the index is updated by a thread of its own: a slow index commit
        # must not hold up the next purge.
        self.queue = None
        if background:
            self.queue = queue.SimpleQueue()
            threading.Thread(target=self._apply_loop, name="changelog-apply", daemon=True).start()

    def poll(self):
        """Apply what is new; return the number of rows applied."""
        now = timezone.now()
        rows = list(
            IndexChange.objects.filter(models.Q(id__gt=self.position) | models.Q(created__gte=now - LOOKBACK))
            .exclude(id__in=list(self.seen))
            .order_by("id")[:1000]
        )
        if self._notices_expired(now) or rows:
            self.purge()  # before the index: readers of this host's pages wait for this only
        if rows:
            for row in rows:
                self.seen[row.id] = row.created
            self.position = max(self.position, rows[-1].id)
            if self.queue is not None:
                self.queue.put((rows, self.position))
            else:
                self.apply(rows)
                write_position(self.position)
        horizon = now - LOOKBACK * 2
        self.seen = {pk: created for pk, created in self.seen.items() if created >= horizon}
        return len(rows)

    def purge(self):
        from portal import pagecache

        pagecache.purge()
        self.settle_at = time.monotonic() + SETTLE

    def settle(self):
        """The second purge, `SETTLE` after the last one (see portal/pagecache.py)."""
        if self.settle_at is not None and time.monotonic() >= self.settle_at:
            from portal import pagecache

            self.settle_at = None
            pagecache.purge()

    def next_due(self):
        """When content next changes by itself: the earliest future notice expiry, the earliest
        go-live of an approved scheduled revision, or the earliest expiry of something live
        (Wagtail's scheduled publishing); None if nothing is scheduled."""
        from wagtail.models import Revision

        from cms.models import NoticePage

        candidates = [
            NoticePage.objects.live()
            .filter(expires_at__gt=self.last_expiry_check)
            .order_by("expires_at")
            .values_list("expires_at", flat=True)
            .first(),
            Revision.objects.filter(approved_go_live_at__isnull=False)
            .order_by("approved_go_live_at")
            .values_list("approved_go_live_at", flat=True)
            .first(),
        ]
        for model in _scheduled_models():
            candidates.append(
                model.objects.filter(live=True, expire_at__isnull=False)
                .order_by("expire_at")
                .values_list("expire_at", flat=True)
                .first()
            )
        dates = [date for date in candidates if date is not None]
        return min(dates) if dates else None

    def run_scheduled(self):
        """Wagtail's scheduled publishing (go-live, expiry) for what is due, on one host at a
        time. Its publishes and unpublishes write the change log (and purge) like an editor's."""
        from django.core.management import call_command

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [SCHEDULE_LOCK])
                if not cursor.fetchone()[0]:
                    return False  # another host is doing it now
            try:
                call_command("publish_scheduled", stdout=io.StringIO())
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [SCHEDULE_LOCK])
        else:
            call_command("publish_scheduled", stdout=io.StringIO())
        return True

    def apply(self, rows):
        from . import index, synonyms

        items = [row.item for row in rows if row.item is not None]
        if items:
            index.sync(items)
        if any(row.action == IndexChange.Action.SYNONYMS for row in rows):
            synonyms.invalidate()

    def _apply_loop(self):
        from django.db import connections

        while True:
            rows, position = self.queue.get()
            while not self.queue.empty():  # everything that came meanwhile, in one index commit
                more, position = self.queue.get()
                rows += more
            try:
                self.apply(rows)
                write_position(position)  # after: a restart re-applies what was not applied
            except Exception:
                logger.exception("change log: could not apply %d changes to the index", len(rows))
            finally:
                connections.close_all()  # this thread's connections

    def _notices_expired(self, now):
        """A notice whose expiry passed since the last check leaves listings and feeds: the
        cached copies must go (search checks expiry at query time and needs nothing)."""
        from cms.models import NoticePage

        expired = NoticePage.objects.live().filter(expires_at__gt=self.last_expiry_check, expires_at__lte=now).exists()
        self.last_expiry_check = now
        return expired

    def prune(self):
        return IndexChange.objects.filter(created__lt=timezone.now() - KEEP).delete()[0]


def _scheduled_models():
    """Models with Wagtail's go-live/expiry dates: pages and the snippets with drafts (FAQ)."""
    from django.apps import apps
    from wagtail.models import DraftStateMixin, Page

    return [Page] + [m for m in apps.get_models() if issubclass(m, DraftStateMixin) and not issubclass(m, Page)]


def _warm_up():
    """Load what the first index update needs (the segmenter, pypinyin's tables, Whoosh's
    writer): importing them holds the interpreter for seconds, which must not happen in the
    index thread while the main loop has a purge to do."""
    started = time.monotonic()
    try:
        from . import analysis, store

        analysis.initialize()
        ix = store._get_index()
        for name in ix.schema.names():
            analyzer = getattr(ix.schema[name], "analyzer", None)
            if analyzer is not None:
                list(analyzer("公安局办理身份证 shenfenzheng ID card"))
        import whoosh.writing  # noqa: F401
    except Exception:
        logger.warning("change log: warm-up failed (the first index update will be slow)", exc_info=True)
    logger.info("change log: warmed up in %.1f s", time.monotonic() - started)


class _Waker:
    """Waits for a follower's next reason to poll: a change signal (NOTIFY or Redis), or the
    timeout. Any failure of the signal channel degrades to polling (and reconnects later)."""

    def __init__(self, method):
        self.method = method
        self.channel = None
        self.failed_at = None

    def _connect(self):
        if self.method == "postgres":
            conn = connection.get_new_connection(connection.get_connection_params())
            conn.autocommit = True
            conn.execute(f"LISTEN {CHANNEL}")
            self.channel = conn
        elif self.method == "redis":
            pubsub = _redis().pubsub(ignore_subscribe_messages=True)
            pubsub.subscribe(CHANNEL)
            self.channel = pubsub

    def wait(self, timeout):
        """Return True when woken by a signal, False after `timeout` seconds."""
        timeout = max(0.0, timeout)
        if self.method == "poll":
            time.sleep(timeout)
            return False
        try:
            if self.channel is None:
                if self.failed_at is not None and time.monotonic() - self.failed_at < 5:
                    time.sleep(timeout)
                    return False
                self._connect()
                return True  # (re)connected: something may have been missed
            if self.method == "postgres":
                woken = False
                for _ in self.channel.notifies(timeout=timeout, stop_after=1):
                    woken = True
                if woken:  # drain the others that came with it
                    for _ in self.channel.notifies(timeout=0.0):
                        pass
                return woken
            message = self.channel.get_message(timeout=timeout)
            deadline = time.monotonic() + timeout
            while message is None and time.monotonic() < deadline:
                message = self.channel.get_message(timeout=deadline - time.monotonic())
            while message is not None and self.channel.get_message(timeout=0.0) is not None:
                pass
            return message is not None
        except Exception:
            logger.warning("change log: lost the %s change signal (polling meanwhile)", self.method, exc_info=True)
            self.close()
            self.failed_at = time.monotonic()
            return True

    def close(self):
        if self.channel is not None:
            try:
                self.channel.close()
            except Exception:  # noqa: S110 (already broken)
                pass
        self.channel = None


def follow(interval=None, stop=lambda: False, prune_every=3600.0, schedule_every=1.0):
    """Run a Follower until `stop()` is true.

    It polls when woken by a change signal, at the latest every `interval` seconds (default:
    0.5 with a signal, 0.05 without), and at the moment the next scheduled change is due
    (re-read every `schedule_every` seconds)."""
    from django.db import close_old_connections

    _warm_up()
    follower = Follower(background=True)
    waker = _Waker(wake_method())
    if interval is None:
        interval = 0.05 if waker.method == "poll" else 0.5
    last_prune = last_close = last_schedule = float("-inf")
    due = None  # datetime of the next scheduled change
    poll_now = True
    next_poll = time.monotonic()
    try:
        while not stop():
            now = time.monotonic()
            if now - last_close >= 30:  # not every poll: each close means a new connection
                close_old_connections()
                last_close = now
            try:
                if due is not None and timezone.now() >= due:
                    follower.run_scheduled()
                    poll_now, last_schedule = True, time.monotonic()
                    due = follower.next_due()
                    if due is not None and due <= timezone.now():  # still due (another host has it)
                        due = timezone.now() + dt.timedelta(seconds=schedule_every)
                if poll_now or now >= next_poll:
                    started = time.monotonic()
                    applied = follower.poll()
                    took = time.monotonic() - started
                    if took > 0.2:
                        logger.warning("change log: a poll took %.3f s (%d rows)", took, applied)
                    next_poll = time.monotonic() + interval
                    poll_now = False
                follower.settle()
                if time.monotonic() - last_schedule >= schedule_every:
                    due = follower.next_due()
                    last_schedule = time.monotonic()
                if time.monotonic() - last_prune >= prune_every:
                    follower.prune()
                    last_prune = time.monotonic()
            except Exception:
                logger.exception("change log: could not apply changes (retrying)")
                close_old_connections()
                next_poll = last_schedule = time.monotonic()
                next_poll += interval
                due = None
            # Sleep until the next poll, the second purge, the next scheduled change or the next
            # look at the schedule, whichever comes first; in short steps so that `stop` is seen.
            wake = [next_poll, last_schedule + schedule_every]
            if follower.settle_at is not None:
                wake.append(follower.settle_at)
            if due is not None:
                wake.append(time.monotonic() + (due - timezone.now()).total_seconds())
            timeout = min(min(wake) - time.monotonic(), 0.5)
            if timeout > 0 and waker.wait(timeout):
                poll_now = True
    finally:
        waker.close()
