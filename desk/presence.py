"""Who is on duty right now: staff holding a live /ws/desk/ connection.

The chatbot asks `is_anyone_on_duty(department_id)` before it offers a live handover to an
officer. The answer must be the same in every server process, so presence lives in the Django
cache (Redis when REDIS_URL is set; locmem in a single process and in tests).

Layout in the cache (the cache has no "list keys" operation, so there is a small registry):
- ``desk:presence:conn:<conn_id>`` → {"departments": [...], "supervisor": bool}, with a TTL of
  PRESENCE_TTL seconds. Written on connect and refreshed by every heartbeat; deleted on
  disconnect. If a worker crashes, its connections simply expire: nobody has to clean up.
- ``desk:presence:registry:<scope>`` → {conn_id: expires_at} for scope "all" (supervisors) and
  "dept.<id>": which connection keys to look at. Updated read-modify-write, so two workers
  writing at the same instant can lose an entry; the next heartbeat puts it back (a registry
  entry only points at the connection key, which is the truth). Stale entries are pruned on write.

Supervisors see every department, so a connected supervisor makes every department "on duty".
"""

import time

from django.core.cache import cache

PRESENCE_TTL = 60  # seconds a connection counts as present without a heartbeat
HEARTBEAT_INTERVAL = 20  # seconds between heartbeats (the consumer refreshes presence this often)

_CONN_KEY = "desk:presence:conn:{}"
_REGISTRY_KEY = "desk:presence:registry:{}"
SCOPE_ALL = "all"


def _dept_scope(department_id):
    return f"dept.{int(department_id)}"


def _scopes(departments, supervisor):
    scopes = [SCOPE_ALL] if supervisor else []
    scopes += [_dept_scope(d) for d in departments]
    # Anyone on duty anywhere counts for "is anybody there at all?" (department_id=None).
    scopes.append("any")
    return scopes


def _update_registry(scope, conn_id, expires_at, now):
    key = _REGISTRY_KEY.format(scope)
    registry = cache.get(key) or {}
    registry = {cid: exp for cid, exp in registry.items() if exp > now}
    if expires_at is None:
        registry.pop(conn_id, None)
    else:
        registry[conn_id] = expires_at
    if registry:
        cache.set(key, registry, PRESENCE_TTL * 2)
    else:
        cache.delete(key)


def mark_present(conn_id, departments=(), supervisor=False):
    """Record (or refresh) a live staff connection; call on connect and on every heartbeat."""
    now = time.time()
    expires_at = now + PRESENCE_TTL
    departments = sorted({int(d) for d in departments})
    cache.set(_CONN_KEY.format(conn_id), {"departments": departments, "supervisor": bool(supervisor)}, PRESENCE_TTL)
    for scope in _scopes(departments, supervisor):
        _update_registry(scope, conn_id, expires_at, now)


def mark_absent(conn_id, departments=(), supervisor=False):
    """Forget a connection at once (on disconnect)."""
    now = time.time()
    cache.delete(_CONN_KEY.format(conn_id))
    for scope in _scopes(departments, supervisor):
        _update_registry(scope, conn_id, None, now)


def _live_in(*scopes):
    """The set of live connection ids registered under any of the scopes."""
    candidates = set()
    for scope in scopes:
        candidates.update((cache.get(_REGISTRY_KEY.format(scope)) or {}).keys())
    if not candidates:
        return set()
    found = cache.get_many([_CONN_KEY.format(cid) for cid in candidates])
    return {key.rsplit(":", 1)[1] for key in found}


def is_anyone_on_duty(department_id=None):
    """True while at least one Duty staff member or Supervisor holds a live /ws/desk/ connection.

    With a department, only staff of that department and Supervisors count.
    """
    return on_duty_count(department_id) > 0


def on_duty_count(department_id=None):
    """How many live staff connections count for a department (or in total); for the admin."""
    if department_id is None:
        return len(_live_in("any"))
    return len(_live_in(_dept_scope(department_id), SCOPE_ALL))
