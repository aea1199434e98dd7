"""The embedded default's channel layer: Channels' in-memory layer, with its expiry sweep made
periodic.

Channels' InMemoryChannelLayer walks every channel and every group (`_clean_expired`) on each
send and group_send. With a thousand open chat sockets that walk is a thousand queues and a
thousand groups for every signal, and it dominated the server under `bench/chat_load.py`. The
sweep only drops messages and group memberships that have outlived their expiry (60 s and a
day by default), so running it at most once per SWEEP_INTERVAL changes nothing a client can
observe beyond a second's delay in forgetting them.
"""

import time

from channels.layers import InMemoryChannelLayer

SWEEP_INTERVAL = 1.0  # seconds


class PeriodicSweepChannelLayer(InMemoryChannelLayer):
    _last_sweep = 0.0

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._last_sweep < SWEEP_INTERVAL:
            return
        self._last_sweep = now
        super()._clean_expired()
