"""A change log in the database, so that every host keeps its own search index (and its own
nginx page cache) current.

The index update path (`signals.flush`, after a transaction commits) writes one `IndexChange`
row per object it re-synced. Every host runs a follower (`manage.py follow_changes`, started
by `make serve-prod` and the `portal-follow` systemd unit) that polls the table with one cheap
indexed query (`id > position`) and applies what it has not seen through the same facade the
signals use (`index.sync`), then empties its nginx page cache (`portal.pagecache`). The
position is kept in the index directory, so every process of one host shares it and a restart
resumes where it stopped.

Ids come from a sequence and concurrent transactions may commit out of order (id 11 visible
before id 10), so the follower also re-reads the rows of the last `LOOKBACK` seconds and skips
the ids it has already applied. Rows older than `KEEP` are deleted by the followers.
"""

import datetime as dt
import logging
import time

from django.db import models
from django.utils import timezone

logger = logging.getLogger(__name__)

# The signals' item kinds and the model labels stored for them.
LABELS = {"page": "wagtailcore.page", "faq": "cms.faq"}
KINDS = {label: kind for kind, label in LABELS.items()}
LOOKBACK = dt.timedelta(seconds=30)
KEEP = dt.timedelta(days=2)
POSITION_FILE = "changelog.position"


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
    """Write the change log rows for (kind, pk) items (or one row of another action) and empty
    this host's page cache. Called after the content change has committed."""
    if action == IndexChange.Action.SYNC:
        rows = [IndexChange(model_label=LABELS[kind], object_id=str(pk)) for kind, pk in items if kind in LABELS]
    else:
        rows = [IndexChange(model_label=label, action=action)]
    if rows:
        IndexChange.objects.bulk_create(rows)
    from portal import pagecache

    pagecache.purge()


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

    def __init__(self):
        self.position = read_position()
        if self.position is None:
            # A fresh index directory: its index was (or is about to be) rebuilt from the
            # database, which already contains every logged change.
            self.position = latest_id()
            write_position(self.position)
        self.seen = {}  # id -> created, for the look-back window
        self.last_expiry_check = timezone.now()

    def poll(self):
        """Apply what is new; return the number of rows applied."""
        now = timezone.now()
        rows = list(
            IndexChange.objects.filter(models.Q(id__gt=self.position) | models.Q(created__gte=now - LOOKBACK))
            .exclude(id__in=list(self.seen))
            .order_by("id")[:1000]
        )
        purge = self._notices_expired(now)
        if rows:
            self.apply(rows)
            for row in rows:
                self.seen[row.id] = row.created
            self.position = max(self.position, rows[-1].id)
            write_position(self.position)
            purge = True
        if purge:
            from portal import pagecache

            pagecache.purge()
        horizon = now - LOOKBACK * 2
        self.seen = {pk: created for pk, created in self.seen.items() if created >= horizon}
        return len(rows)

    def apply(self, rows):
        from . import index, synonyms

        items = [row.item for row in rows if row.item is not None]
        if items:
            index.sync(items)
        if any(row.action == IndexChange.Action.SYNONYMS for row in rows):
            synonyms.invalidate()

    def _notices_expired(self, now):
        """A notice whose expiry passed since the last check leaves listings and feeds: the
        cached copies must go (search checks expiry at query time and needs nothing)."""
        from cms.models import NoticePage

        expired = NoticePage.objects.live().filter(expires_at__gt=self.last_expiry_check, expires_at__lte=now).exists()
        self.last_expiry_check = now
        return expired

    def prune(self):
        return IndexChange.objects.filter(created__lt=timezone.now() - KEEP).delete()[0]


def follow(interval=0.25, stop=lambda: False, prune_every=3600.0):
    """Run a Follower until `stop()` is true."""
    from django.db import close_old_connections

    follower = Follower()
    last_prune = last_close = float("-inf")
    while not stop():
        if time.monotonic() - last_close >= 30:  # not every poll: each close means a new connection
            close_old_connections()
            last_close = time.monotonic()
        try:
            follower.poll()
            if time.monotonic() - last_prune >= prune_every:
                follower.prune()
                last_prune = time.monotonic()
        except Exception:
            logger.exception("change log: could not apply changes (retrying)")
            close_old_connections()
        deadline = time.monotonic() + interval
        while time.monotonic() < deadline and not stop():
            time.sleep(min(0.05, interval))
