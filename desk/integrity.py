"""The handling log's hash chains: every audit entry and every timeline entry is chained to the
one before it, so changing or deleting a row afterwards is detected (docs/audit-log.md).

Two chains, "audit" (`AuditLog`) and "timeline" (`TimelineEntry`). Each row stores

- `chain_seq`: its position in the chain (1, 2, 3, … without gaps),
- `prev_hash`: the hash of the entry before it (64 zeros for the first),
- `seal`: for each *sealed* field, a salted SHA-256 digest of its value {"field": {"d", "s"}},
- `entry_hash`: SHA-256 over the chain name, the position, `prev_hash`, the plain fields and the
  sealed fields' digests.

Plain fields are hashed as they are and never change. Sealed fields are personal data the
retention periods remove (texts, reasons, IP addresses) and links to staff accounts that may be
deleted: the hash covers their digest, not the value, so blanking them by the retention path
(which also erases the salt) leaves the chain valid; while the salt is kept, the value must
still match its digest. Erasing the salt makes the digest of a short value (an IP address)
impossible to reverse by trying every value.

Appending is serialized: the chain heads (`ChainHead`, one row per chain, holding the last
position and hash) are locked with SELECT … FOR UPDATE in a fixed order until the writer's
transaction commits (on SQLite the IMMEDIATE write transaction serializes writers already), so
two concurrent writers can never both take the same position; `chain_seq` is unique as well.

On PostgreSQL a trigger (migration 0004) refuses UPDATE and DELETE on both tables unless the
transaction went through `retention_writes()`, which sets `portal.retention = 'on'` for the
transaction only. The head rows only ever move one step forward.
"""

import contextlib
import datetime
import hashlib
import json
import secrets
from dataclasses import dataclass, field

from django.apps import apps
from django.db import DatabaseError, IntegrityError, connections, router, transaction

GENESIS = "0" * 64
RETENTION_SETTING = "portal.retention"


@dataclass(frozen=True)
class ChainSpec:
    name: str
    model_name: str
    plain: tuple
    sealed: tuple
    getters: dict = field(default_factory=dict)

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model("desk", self.model_name)

    def value(self, row, name):
        getter = self.getters.get(name)
        return getter(row) if getter else getattr(row, name)


def _timeline_data(row):
    return {key: value for key, value in (row.data or {}).items() if key != "address"}


def _timeline_address(row):
    return (row.data or {}).get("address", "")


AUDIT = ChainSpec(
    name="audit",
    model_name="AuditLog",
    plain=("username", "action", "inquiry_id", "reference", "personal_data_viewed", "created_at"),
    sealed=("user_id", "detail", "client_address"),
)
TIMELINE = ChainSpec(
    name="timeline",
    model_name="TimelineEntry",
    plain=("inquiry_id", "kind", "public", "created_at", "data"),
    sealed=("author_id", "text", "public_reason", "address"),
    getters={"data": _timeline_data, "address": _timeline_address},
)
CHAINS = {spec.name: spec for spec in (AUDIT, TIMELINE)}
BY_MODEL = {spec.model_name: spec for spec in CHAINS.values()}


def spec_for(row):
    return BY_MODEL[type(row).__name__]


# --- hashing -----------------------------------------------------------------------------------


def _canonical(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def _dumps(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _blank(value):
    return value is None or value == ""


def digest(value, salt):
    """Salted SHA-256 of a sealed field's value (blank values: "" and None are the same)."""
    value = None if _blank(value) else _canonical(value)
    return hashlib.sha256(bytes.fromhex(salt) + _dumps(value).encode()).hexdigest()


def entry_hash(spec, seq, prev_hash, plain, digests):
    payload = {"chain": spec.name, "seq": seq, "prev": prev_hash, "plain": plain, "sealed": digests}
    return hashlib.sha256(_dumps(payload).encode()).hexdigest()


def _plain(spec, row):
    return {name: _canonical(spec.value(row, name)) for name in spec.plain}


def compute_hash(spec, row):
    """The hash `row` should carry, from its stored position, previous hash, fields and seal."""
    digests = {name: (row.seal or {}).get(name, {}).get("d", "") for name in spec.sealed}
    return entry_hash(spec, row.chain_seq, row.prev_hash, _plain(spec, row), digests)


def seal_fields(spec, row):
    """Fresh salts and digests for every sealed field of a new row."""
    seal = {}
    for name in spec.sealed:
        salt = secrets.token_hex(16)
        seal[name] = {"d": digest(spec.value(row, name), salt), "s": salt}
    return seal


# --- appending ---------------------------------------------------------------------------------


def _lock_heads(using):
    """Lock every chain's head row (created on first use), always in the same order."""
    ChainHead = apps.get_model("desk", "ChainHead")

    heads = {h.name: h for h in ChainHead.objects.using(using).select_for_update().order_by("name")}
    missing = [name for name in sorted(CHAINS) if name not in heads]
    if missing:
        for name in missing:
            try:
                with transaction.atomic(using=using):
                    ChainHead.objects.using(using).create(name=name, seq=0, last_hash=GENESIS)
            except IntegrityError:  # another writer created it first
                pass
        heads = {h.name: h for h in ChainHead.objects.using(using).select_for_update().order_by("name")}
    return heads


def append(row, save, using=None):
    """Give the new `row` its place in its chain and save it (`save()` inserts it), all in one
    transaction that holds the chain heads until it commits."""
    ChainHead = apps.get_model("desk", "ChainHead")

    spec = spec_for(row)
    using = using or router.db_for_write(type(row), instance=row)
    with transaction.atomic(using=using):
        head = _lock_heads(using)[spec.name]
        row.chain_seq = head.seq + 1
        row.prev_hash = head.last_hash
        row.seal = seal_fields(spec, row)
        row.entry_hash = compute_hash(spec, row)
        save()
        moved = (
            ChainHead.objects.using(using)
            .filter(name=spec.name, seq=head.seq)
            .update(seq=row.chain_seq, last_hash=row.entry_hash)
        )
        if moved != 1:  # cannot happen while the head is locked; never fork the chain
            raise IntegrityError(f"the {spec.name} chain's head moved while an entry was appended")
    return row


# --- the retention path ------------------------------------------------------------------------


@contextlib.contextmanager
def retention_writes(using="default"):
    """The one documented way to change or delete handling-log rows: inside this block (a
    transaction) PostgreSQL's append-only trigger lets UPDATE and DELETE through. Used by the
    retention job and when a staff account is deleted; nothing else."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(current_setting(%s, true), '')", [RETENTION_SETTING])
            before = cursor.fetchone()[0] or "off"
            cursor.execute("SELECT set_config(%s, 'on', true)", [RETENTION_SETTING])
        try:
            yield
        finally:
            # Back to what it was (a nested block leaves it on). After a failed statement the
            # transaction is rolled back anyway, and the setting with it.
            with contextlib.suppress(DatabaseError), transaction.atomic(using=using), connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, %s, true)", [RETENTION_SETTING, before])


def redact(queryset, fields):
    """Blank sealed `fields` of the rows in `queryset` and erase their salts, so the digest that
    the chain keeps can no longer be matched against anything; returns how many rows changed.
    "address" of a timeline entry is the key of its `data`; "user_id"/"author_id" become NULL."""
    model = queryset.model
    spec = BY_MODEL[model.__name__]
    unknown = set(fields) - set(spec.sealed)
    if unknown:
        raise PermissionError(f"only sealed fields can be blanked, not {sorted(unknown)}")
    changed = 0
    with retention_writes(queryset.db):
        # The base manager: AuditLog's own manager refuses every update.
        rows = model._base_manager.using(queryset.db).filter(pk__in=queryset.values("pk"))
        for row in rows.select_for_update().order_by("pk"):
            seal = {name: dict(value) for name, value in (row.seal or {}).items()}
            updates = {}
            for name in fields:
                if name == "address":
                    if "address" in (row.data or {}):
                        updates["data"] = _timeline_data(row)
                elif not _blank(getattr(row, name)):
                    updates[name] = None if name.endswith("_id") else ""
                seal.get(name, {}).pop("s", None)
            if seal != row.seal:
                updates["seal"] = seal
            if updates:
                changed += model._base_manager.using(queryset.db).filter(pk=row.pk).update(**updates)
    return changed


def forget_account(user, using="default"):
    """Before a staff account is deleted (its links become NULL): erase the salts of the links,
    so the entries stay verifiable without it. The username in audit entries stays."""
    AuditLog, TimelineEntry = apps.get_model("desk", "AuditLog"), apps.get_model("desk", "TimelineEntry")

    redact(AuditLog._base_manager.using(using).filter(user_id=user.pk), ["user_id"])
    redact(TimelineEntry._base_manager.using(using).filter(author_id=user.pk), ["author_id"])


# --- verifying ---------------------------------------------------------------------------------


@dataclass
class Report:
    chain: str
    entries: int = 0
    redacted: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    error: str = ""
    broken_seq: int | None = None
    broken_pk: int | None = None

    @property
    def ok(self):
        return not self.error


def _sealed_problem(spec, row):
    """None when every sealed field matches its digest or was redacted; else a reason."""
    redacted = 0
    for name in spec.sealed:
        entry = (row.seal or {}).get(name)
        if not entry or "d" not in entry:
            return 0, f"no digest for {name}"
        value = spec.value(row, name)
        if "s" not in entry:
            if not _blank(value):
                return 0, f"{name} has a value but its seal was erased"
            redacted += 1
            continue
        if digest(value, entry["s"]) != entry["d"]:
            return 0, f"{name} was changed"
    return redacted, None


def verify_chain(name, using="default", chunk_size=2000):
    """Walk one chain from the start; stops at the first entry where it breaks."""
    ChainHead = apps.get_model("desk", "ChainHead")

    spec = CHAINS[name]
    report = Report(chain=name)
    manager = spec.model._base_manager.using(using)
    unchained = manager.filter(chain_seq__isnull=True).order_by("pk").first()
    if unchained is not None:
        report.error = "an entry was added outside the chain"
        report.broken_pk = unchained.pk
        return report
    expected, prev = 1, GENESIS
    for row in manager.order_by("chain_seq").iterator(chunk_size=chunk_size):
        problem = None
        if row.chain_seq != expected:
            problem = f"entries #{expected}–#{row.chain_seq - 1} are missing (deleted)"
        elif row.prev_hash != prev:
            problem = "the link to the previous entry does not match (an entry before it was changed or removed)"
        elif compute_hash(spec, row) != row.entry_hash:
            problem = "its content was changed"
        else:
            redacted, problem = _sealed_problem(spec, row)
            report.redacted += redacted
        if problem:
            report.error, report.broken_seq, report.broken_pk = problem, row.chain_seq, row.pk
            return report
        report.entries += 1
        expected, prev = expected + 1, row.entry_hash
    head = ChainHead.objects.using(using).filter(name=name).first()
    report.head_seq, report.head_hash = (head.seq, head.last_hash) if head else (0, GENESIS)
    if report.head_seq != report.entries or report.head_hash != prev:
        report.error = (
            f"the chain ends at #{report.entries} but its head says #{report.head_seq}: "
            "the last entries were deleted or the head was changed"
        )
        report.broken_seq = report.entries + 1
    return report


def verify_all(using="default"):
    return [verify_chain(name, using) for name in sorted(CHAINS)]


def _before_account_deletion(sender, instance, using, **kwargs):
    forget_account(instance, using=using)


def connect_signals():
    """Deleting a staff account goes through `forget_account` first (DeskConfig.ready)."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import pre_delete

    pre_delete.connect(_before_account_deletion, sender=get_user_model(), dispatch_uid="desk_integrity_forget")
