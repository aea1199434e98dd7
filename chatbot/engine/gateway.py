"""What the conversation engine needs from the desk, and nothing more (docs/chatbot.md).

The engine files and tracks requests through a `DeskGateway` handed to it by the transport
(chatbot.service builds `desk.chat_gateway.DeskGateway` for each turn); it never imports the
desk. The engine's own tests use `tests/chatbot/memory_desk.py`, an implementation of the same
interface that keeps requests in a dict and applies the desk's rules, and
`tests/chatbot/test_gateway_contract.py` runs the same checks against both.

Plain values cross the boundary (dicts and the dataclasses below), never desk models.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable


class RequestInvalid(ValueError):
    """The desk refused a request: `errors` maps a field (kind, category, subject, description,
    name, phone, email, consent …) to a list of localised messages."""

    def __init__(self, errors):
        self.errors = {field: [str(m) for m in messages] for field, messages in dict(errors).items()}
        super().__init__(self.errors)

    def items(self):
        return self.errors.items()


@dataclass(frozen=True)
class Filed:
    """A request the desk accepted."""

    reference: str
    access_code: str  # shown to the citizen once; the transport masks it in what it stores
    due_at: datetime | None
    receipt_code: str  # the short form of the signed receipt (电子签章), to read out
    receipt_url: str  # where anyone can check the receipt


@dataclass(frozen=True)
class Tracked:
    """What the citizen may see of their request once reference and access code matched."""

    reference: str
    status: str  # the desk's status ("new", "in_progress", "closed" …)
    status_label: str  # the public status in the language asked for
    due_at: datetime | None
    latest_reply: dict | None  # {"at": datetime, "text": str}: the bureau's latest public reply
    rate_url: str  # the rating form's signed link while a closed request is not rated, else ""


@runtime_checkable
class DeskGateway(Protocol):
    """The desk as the chat engine sees it."""

    def options(self, lang: str) -> dict:
        """Kinds and categories, localised: {"kinds": [{"slug", "name", "categories": [slug…],
        "contact": {"required": [field…], "one_of": [field…]}}], "categories": [{"slug", "name"}]}.
        """

    def valid_phone(self, value: str) -> bool:
        """Whether the desk accepts `value` as a phone number to call back."""

    def description_too_short(self, value: str) -> bool:
        """Whether a description is too short for the desk to act on."""

    def open_request(
        self,
        *,
        kind: str,
        category: str,
        subject: str,
        description: str,
        name: str,
        phone: str,
        email: str,
        lang: str,
        consent: bool,
        idempotency_key: str,
    ) -> Filed:
        """File a request from the chat, or raise RequestInvalid. The same idempotency key with
        the same data returns the first request again (and files nothing)."""

    def track_wait(self) -> int:
        """Seconds the citizen must wait before another look-up (0: go ahead): the budget of
        wrong access codes of the citizen's address, shared with the tracking page and the API."""

    def look_up(self, reference: str, code: str, lang: str) -> Tracked | None:
        """The request when reference and access code match, else None (a wrong code is charged
        to the citizen's budget; an unknown reference and a wrong code are indistinguishable)."""


def default_gateway():
    """The configured desk (settings.CHAT_DESK_GATEWAY) without a client address: for callers
    of the engine that give none (scripts, the evaluation runs)."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    return import_string(settings.CHAT_DESK_GATEWAY)()
