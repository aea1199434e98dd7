"""A bounded pool of worker threads that keep their database connections, for the WebSocket
consumers' ORM work.

Channels' `database_sync_to_async` closes the thread's connection after every call when
CONN_MAX_AGE is 0 (our setting: under ASGI every HTTP request gets its own thread, and persistent
connections per thread would pile up). For a chat message that meant opening a new database
connection (and, on SQLite, running the WAL pragmas) two or three times per message: measured
about a third of the server's CPU under `bench/chat_load.py`. The consumers instead run their
ORM work here: POOL_SIZE long-lived threads, one connection each, reused from message to
message. So the number of connections per worker process is bounded (POOL_SIZE), and a
connection that broke (database restarted) is dropped and reopened at the next call.

    result = await db_pool(service.handle_message)(conv, text, client_id)
"""

import threading
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import SyncToAsync
from django.conf import settings
from django.db import connections

_lock = threading.Lock()
_executor = None


def pool_size():
    return getattr(settings, "DB_POOL_THREADS", 8)


def _get_executor():
    global _executor
    if _executor is None:
        with _lock:
            if _executor is None:
                _executor = ThreadPoolExecutor(max_workers=pool_size(), thread_name_prefix="db-pool")
    return _executor


def _drop_broken_connections():
    """Close this thread's connections that failed and are no longer usable, or that were left
    inside a transaction by an error, so the next call opens fresh ones."""
    for conn in connections.all(initialized_only=True):
        if conn.connection is None:
            continue
        if conn.in_atomic_block:
            conn.close()
        elif conn.errors_occurred:
            if conn.is_usable():
                conn.errors_occurred = False
            else:
                conn.close()


def _call_keeping_connection(func):
    def run(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        finally:
            _drop_broken_connections()

    return run


def db_pool(func):
    """`func` as a coroutine function that runs in the pool (context variables such as the active
    language are carried over, as with sync_to_async)."""
    return SyncToAsync(_call_keeping_connection(func), thread_sensitive=False, executor=_get_executor())


def close_connections():
    """Close every pool thread's connections and retire the threads (tests, shutdown): the next
    call starts a new pool."""
    global _executor
    with _lock:
        executor, _executor = _executor, None
    if executor is None:
        return
    size = executor._max_workers
    barrier = threading.Barrier(size)

    def close_mine():
        connections.close_all()
        try:
            barrier.wait(timeout=5)  # one call per thread: each waits until all have closed theirs
        except threading.BrokenBarrierError:
            pass

    futures = [executor.submit(close_mine) for _ in range(size)]
    for future in futures:
        future.result()
    executor.shutdown(wait=True)
