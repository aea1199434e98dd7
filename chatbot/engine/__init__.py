"""The chat engine: plain Python, no HTTP or WebSocket (docs/chatbot.md).

result = respond(state, text, lang=None, page_lang="zh-hans", choice=None)
result.replies  # [Reply(text, intent, lang, sources, choices, links)]
result.state    # JSON-serialisable: store it and pass it back with the next message
result.actions  # [{"type": "flag_emergency", …}, …]: what the transport must do

handover_unavailable(state, lang=None, page_lang="zh-hans")  # nobody on duty → request flow
"""

from .core import handover_unavailable, new_state, respond
from .types import EngineResult, Reply

__all__ = ["EngineResult", "Reply", "handover_unavailable", "new_state", "respond"]
