"""The chat transport's business logic: plain functions used by the WebSocket consumers, the
plain-HTTP fallback (/chat/) and the staff live-chat views alike.

Stored before sent: `handle_message` stores the citizen's message, runs the engine and stores
its replies (and the engine's state and actions) in one transaction, and only after the commit
does anyone send anything. The answer is stored in a savepoint: if storing it or one of its
actions fails, the citizen's message is still committed, with an apology as the answer. The
channel layer carries a signal "conversation N now has messages up to seq S" (after commit);
every socket reads what it has not yet sent from the database (`messages_since`), so a lost
signal or a reconnect never loses a message.

Messages are numbered per conversation (seq 1, 2, 3 …) under a row lock on the conversation,
so the numbering has no gaps and no duplicates even with several workers.
"""

import asyncio
import logging
import os
import re
import unicodedata
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import languages
from portal.sanitize import clean_text

from .models import Conversation, Feedback, Message, UnansweredQuestion

logger = logging.getLogger(__name__)

MAX_MESSAGE_LENGTH = 2000
MAX_CLIENT_ID_LENGTH = 64
MAX_COMMENT_LENGTH = 1000
LANGS = {code for code, _name in settings.LANGUAGES}


class ChatError(Exception):
    """A request the transport refuses, with a code the client can act on (docs/chat-protocol.md)."""

    def __init__(self, code, message, **extra):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.extra = extra

    def as_event(self):
        return {"type": "error", "code": self.code, "message": self.message, **self.extra}


@dataclass
class HandleResult:
    """What one citizen input produced: the stored citizen message and the stored answers."""

    message: Message
    replies: list = field(default_factory=list)
    duplicate: bool = False

    @property
    def messages(self):
        return [self.message, *self.replies]


# --- Conversations --------------------------------------------------------------------------


def normalize_lang(lang, default="zh-hans"):
    """A client's language tag as a portal language (portal.languages.from_tag)."""
    return languages.from_tag(lang, default=default)


def get_conversation(token):
    """The open conversation with this token, or None (unknown, malformed or closed)."""
    if not token or not isinstance(token, str) or len(token) > 64:
        return None
    return Conversation.objects.filter(token=token).exclude(status=Conversation.Status.CLOSED).first()


def get_or_create_conversation(token, lang, address=""):
    """Resume the conversation with `token`, or start a new one. Returns (conversation, created)."""
    conv = get_conversation(token)
    if conv is not None:
        return conv, False
    conv = Conversation.objects.create(lang=normalize_lang(lang), client_address=(address or "")[:64])
    return conv, True


PAGE = 500  # messages read at once when a socket catches up


def messages_since(conv, seq, limit=PAGE):
    """The conversation's messages with a seq above `seq`, oldest first (at most `limit`)."""
    conv_id = conv if isinstance(conv, int) else conv.pk
    return list(
        Message.objects.filter(conversation_id=conv_id, seq__gt=seq or 0)
        .select_related("reply_to", "author")
        .order_by("seq")[:limit]
    )


def transcript(conv, limit=500):
    """The newest `limit` messages, oldest first (the fallback page and the staff view)."""
    newest = Message.objects.filter(conversation=conv).select_related("reply_to", "author").order_by("-seq")[:limit]
    return list(reversed(list(newest)))


def _locked(conv):
    """Re-read the conversation under a row lock (call inside transaction.atomic)."""
    return Conversation.objects.select_for_update().get(pk=conv.pk)


def _append(conv, sender, text="", **fields):
    """Store the next message of a locked conversation (seq = last_seq + 1)."""
    conv.last_seq += 1
    return Message.objects.create(conversation=conv, seq=conv.last_seq, sender=sender, text=text, **fields)


def _signal(conv):
    """After commit, tell every socket of the conversation that new messages exist."""
    conv_id, seq = conv.pk, conv.last_seq
    transaction.on_commit(lambda: notify(conv_id, seq))


# --- Who listens: the signal is skipped when only the socket that made the change listens -----
#
# Every socket of a conversation (the citizen's tabs, an officer's live chat) counts itself in
# the cache while it is open (Redis with several workers). A change made through a socket
# (`from_own_socket`) needs no signal when that socket is the only listener: it sends its own
# messages itself. A missing count (expired, cache restarted) means "unknown" and the signal is
# sent; the count lives as long as Channels' group memberships (a day).

LISTENER_TTL = 86400
_from_own_socket = ContextVar("chat_from_own_socket", default=False)


def _listeners_key(conv_id):
    return f"chat:listeners:{conv_id}"


def listener_joined(conv_id):
    key = _listeners_key(conv_id)
    try:
        cache.add(key, 0, timeout=LISTENER_TTL)
        cache.incr(key)
        cache.touch(key, LISTENER_TTL)
    except Exception:  # the count only saves signals; without it every change is signalled
        logger.warning("chat: could not count a listener of conversation %s", conv_id, exc_info=True)


def listener_left(conv_id):
    try:
        if cache.decr(_listeners_key(conv_id)) < 0:
            cache.set(_listeners_key(conv_id), 0, timeout=LISTENER_TTL)
    except ValueError:  # expired meanwhile: nothing to count down
        pass
    except Exception:
        logger.warning("chat: could not uncount a listener of conversation %s", conv_id, exc_info=True)


@contextmanager
def from_own_socket():
    """Changes made inside this block come from a socket that sends them to itself."""
    token = _from_own_socket.set(True)
    try:
        yield
    finally:
        _from_own_socket.reset(token)


def _others_listening(conv_id):
    try:
        count = cache.get(_listeners_key(conv_id))
    except Exception:
        return True
    return count is None or count > 1


def notify(conv_id, seq):
    layer = get_channel_layer()
    if layer is None:
        return
    if _from_own_socket.get() and not _others_listening(conv_id):
        return
    group, event = f"chat.conv.{conv_id}", {"type": "conversation.updated", "seq": seq}
    loop = _event_loop_of_this_thread()
    if loop is not None:
        # A worker thread of the server's event loop (the consumers' pool, an ASGI view): hand
        # the signal to the loop and return at once instead of holding the thread until it is
        # sent; the database is the record, the signal only says "look".
        try:
            loop.call_soon_threadsafe(_send_soon, layer, group, event)
            return
        except RuntimeError:  # the loop is closing: send it the blocking way
            pass
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:  # the database is the record: a lost signal is repaired by the next resume
        logger.warning("chat signal for conversation %s failed", conv_id, exc_info=True)


_pending_signals = set()


def _event_loop_of_this_thread():
    """The running event loop that called this thread through sync_to_async, if any."""
    from asgiref.sync import SyncToAsync

    local = SyncToAsync.threadlocal
    loop = getattr(local, "main_event_loop", None)
    if loop is None or getattr(local, "main_event_loop_pid", None) != os.getpid() or loop.is_closed():
        return None
    return loop if loop.is_running() else None


def _send_soon(layer, group, event):
    task = asyncio.get_running_loop().create_task(layer.group_send(group, event))
    _pending_signals.add(task)
    task.add_done_callback(_signal_sent)


def _signal_sent(task):
    _pending_signals.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logger.warning("chat signal failed", exc_info=task.exception())


def send_typing(conv, sender):
    """Tell the other side that `sender` ("citizen" or "staff") is typing (not stored)."""
    layer = get_channel_layer()
    async_to_sync(layer.group_send)(conv.group_name, {"type": "chat.typing", "from": sender})


def live_chat_url(conv):
    return reverse("chatbot_admin:live_chat", args=[conv.public_id])


def _desk_event(event_type, conv, **data):
    """A small event for the duty desk (after commit), scoped to the linked inquiry's department."""
    from desk.events import send_event_on_commit

    if conv.inquiry_id:
        department_ids = [conv.inquiry.department_id]
    else:
        # Not tied to a department yet: every department's duty staff may take it (presence
        # counts anyone on duty for such a chat, so the event must reach them all).
        from desk.models import Department

        department_ids = list(Department.objects.values_list("pk", flat=True))
    payload = {
        "conversation": str(conv.public_id),
        "status": conv.status,
        "urgent": conv.urgent,
        "lang": conv.lang,
        "url": live_chat_url(conv),
        **data,
    }
    send_event_on_commit(event_type, payload, department_ids=department_ids)


# --- Citizen input --------------------------------------------------------------------------


def clean_message(text):
    """Validate and sanitize a citizen's text; raise ChatError when it cannot be accepted."""
    if not isinstance(text, str):
        raise ChatError("bad_request", _("The message must be text."))
    if len(text) > MAX_MESSAGE_LENGTH:
        raise ChatError(
            "too_long",
            _("Your message is too long: at most %(max)s characters, please shorten it.") % {"max": MAX_MESSAGE_LENGTH},
            max_length=MAX_MESSAGE_LENGTH,
        )
    text = clean_text(text)
    if not text:
        raise ChatError("empty", _("Please type a message."))
    return text


def clean_client_id(client_id):
    if client_id in (None, ""):
        return ""
    if not isinstance(client_id, str | int) or len(str(client_id)) > MAX_CLIENT_ID_LENGTH:
        raise ChatError("bad_request", _("The message id is not valid."), field="id")
    return str(client_id)


# --- Access codes are never shown back ------------------------------------------------------
#
# An access code opens a request's whole record (/requests/track/, the API). The chat stores
# what the citizen typed and what the assistant answered with every code masked, so neither a
# later transcript (another tab, a resume, the /chat/ page) nor any officer sees it. The one
# exception is the receipt of a request filed in the chat: the socket (or page) that filed it
# shows the code once, from memory (`Message.revealed_text`), never from the database.

CODE_MASK = "•••••-•••••"
_CODE = "[A-HJ-NP-Z2-9]"
_ALONE_BEFORE, _ALONE_AFTER = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
# XXXXX-XXXXX, or ten code characters in a row with a digit among them (a plain English word
# of ten letters is not a code).
_ACCESS_CODE = re.compile(
    rf"{_ALONE_BEFORE}(?:{_CODE}{{5}}\s*[-_]\s*{_CODE}{{5}}|(?={_CODE}{{0,9}}[2-9]){_CODE}{{10}}){_ALONE_AFTER}",
    re.IGNORECASE,
)
# In a message the engine used as an access code: ten code characters with any separators.
_ACCESS_CODE_LOOSE = re.compile(rf"{_ALONE_BEFORE}{_CODE}(?:[\s\-_.·]*{_CODE}){{9}}{_ALONE_AFTER}", re.IGNORECASE)


def mask_access_codes(text, loose=False):
    """`text` with every access code replaced by CODE_MASK (also full-width ones)."""
    if not text:
        return text
    pattern = _ACCESS_CODE_LOOSE if loose else _ACCESS_CODE
    if not pattern.search(text):
        folded = unicodedata.normalize("NFKC", text)
        if folded == text or not pattern.search(folded):
            return text
        text = folded
    return pattern.sub(CODE_MASK, text)


def _stored_answer(conv, client_id):
    """A citizen message already stored under this client id, with its replies (dedupe)."""
    original = Message.objects.filter(conversation=conv, client_id=client_id).first()
    if original is None:
        return None
    replies = list(Message.objects.filter(reply_to=original).select_related("reply_to").order_by("seq"))
    return HandleResult(message=original, replies=replies, duplicate=True)


def handle_message(conv, text, client_id="", lang=None):
    """A citizen's message: store it, let the engine answer (unless an officer is chatting),
    store the answers and carry out the engine's actions. A message re-sent with a client id
    that is already stored is not answered again: the stored answers are returned."""
    text = clean_message(text)
    client_id = clean_client_id(client_id)
    return _handle(conv, text, client_id, lang)


def handle_choice(conv, choice_id, client_id="", lang=None):
    """A citizen pressed one of the buttons the assistant offered: stored as their message (the
    button's label), then answered like a message."""
    client_id = clean_client_id(client_id)
    if client_id:
        stored = _stored_answer(conv, client_id)
        if stored is not None:
            return stored
    if not isinstance(choice_id, str | int) or not str(choice_id):
        raise ChatError("bad_request", _("No choice was given."))
    choice_id = str(choice_id)
    label = None
    recent = Message.objects.filter(conversation=conv, sender=Message.Sender.BOT).order_by("-seq")[:5]
    offered = next((m.choices for m in recent if m.choices), [])
    for choice in offered:
        if str(choice.get("id")) == choice_id:
            label = choice.get("label") or choice_id
    if label is None:
        raise ChatError("unknown_choice", _("That option is no longer available. Please type your question."))
    return _handle(conv, clean_text(str(label))[:MAX_MESSAGE_LENGTH], client_id, lang, choice=choice_id)


def _handle(conv, text, client_id, lang=None, choice=None):
    """Store the citizen's input and the assistant's answer in one transaction.

    The citizen's message is never lost to a failure of the answer: the engine's replies and
    actions are stored in a savepoint, and if anything in them fails, that part is rolled back
    and a short apology is stored instead (the citizen's message stays). The unique client id
    decides duplicates, also between workers."""
    # The engine does not know who is asking; its tracking look-ups are charged to this address.
    token = _tracking_address.set(_track_key(conv))
    try:
        with transaction.atomic():
            locked = _locked(conv)
            msg = _append(locked, Message.Sender.CITIZEN, mask_access_codes(text), client_id=client_id)
            replies = _respond(locked, msg, text=text, lang=lang, choice=choice)
            locked.save(update_fields=CHANGED_BY_ANSWER)
            _signal(locked)
    except IntegrityError:
        stored = _stored_answer(conv, client_id) if client_id else None
        if stored is None:
            raise
        return stored
    finally:
        _tracking_address.reset(token)
    _sync(conv, locked)
    return HandleResult(message=msg, replies=replies)


def _engine_respond(state, text, lang, page_lang, choice=None):
    from chatbot.engine import respond

    return respond(state, text, lang, page_lang=page_lang, choice=choice, desk=_desk_gateway())


# --- The desk as the engine sees it (chatbot.engine.gateway) ---------------------------------
#
# Tracking by chat has the same budget of wrong access codes as the tracking page: a wrong code
# typed in the chat counts against the client address's `inquiry_track` limit, like one typed
# on /requests/track/ or sent to the API, so opening a new conversation (the engine's own limit
# is three per conversation) does not buy more guesses. `_handle` sets the address for the
# engine's turn; the gateway built for the turn charges wrong codes to it and tells the engine
# how long to wait before each look-up.

_tracking_address = ContextVar("chat_tracking_address", default=None)


def _track_key(conv):
    # "unknown" is what portal.net gives the tracking page for a request without a peer address.
    return conv.client_address or "unknown"


def _desk_gateway():
    """The desk gateway for the turn being answered (settings.CHAT_DESK_GATEWAY)."""
    from django.utils.module_loading import import_string

    return import_string(settings.CHAT_DESK_GATEWAY)(client_address=_tracking_address.get())


def _get(obj, name, default=None):
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _reply_fields(reply):
    sources = [
        {"key": str(_get(s, "key", "")), "title": str(_get(s, "title", "")), "url": str(_get(s, "url", ""))}
        for s in (_get(reply, "sources") or [])
    ]
    choices = [
        {"id": str(_get(c, "id", "")), "label": str(_get(c, "label", ""))} for c in (_get(reply, "choices") or [])
    ]
    links = [
        {"label": str(_get(link, "label", "")), "url": str(_get(link, "url", ""))}
        for link in (_get(reply, "links") or [])
        if str(_get(link, "url", "")).startswith(("/", "tel:", "http://", "https://"))
    ]
    return {
        "text": str(_get(reply, "text", "")),
        "intent": str(_get(reply, "intent", "") or "")[:32],
        "sources": sources,
        "choices": choices,
        "links": links,
    }


def _is_emergency(text):
    from chatbot.emergency import detect

    return detect(text) is not None


def _respond(locked, msg, *, text, lang=None, choice=None):
    """Run the engine on the citizen's message `msg` of the locked conversation (inside the
    transaction that stored it) and store its replies and actions. Returns the stored replies."""
    lang = normalize_lang(lang, default=locked.lang) if lang else None
    if locked.status in (Conversation.Status.WAITING, Conversation.Status.LIVE):
        # An officer is (about to be) chatting: the assistant stays quiet, except that an
        # emergency is always answered at once with the emergency numbers.
        if choice is not None or not _is_emergency(text):
            if locked.status == Conversation.Status.WAITING:
                _desk_event("chat.message", locked, seq=msg.seq)
            return []
    try:
        result = _engine_respond(dict(locked.state or {}), text, lang, locked.lang, choice)
    except Exception:
        logger.exception("chat engine failed on conversation %s", locked.pk)
        result = None
    before = {name: getattr(locked, name) for name in SYNCED}
    if result is not None:
        try:
            with transaction.atomic():
                return _store_result(locked, msg, result, lang)
        except Exception:
            logger.exception("storing the answer failed on conversation %s", locked.pk)
            for name, value in before.items():
                setattr(locked, name, value)
    with translation.override(lang or locked.lang):
        apology = {
            "text": _("Sorry, something went wrong on our side. Please try again, or call 110 in an emergency."),
            "intent": "fallback",
        }
    return [_append(locked, Message.Sender.BOT, reply_to=msg, **_reply_fields(apology))]


def _store_result(locked, msg, result, lang):
    replies = _get(result, "replies") or []
    state = _get(result, "state")
    actions = _get(result, "actions") or []
    if state is not None:
        locked.state = state
    stored = [_append_reply(locked, msg, r) for r in replies]
    stored.extend(_run_actions(locked, msg, actions, lang))
    return stored


def _append_reply(locked, msg, reply):
    """Store one reply of the assistant with any access code masked; the code stays on the
    returned object only (`revealed_text`), for the socket or page that asked to see it once."""
    fields = _reply_fields(reply)
    text = fields["text"]
    fields["text"] = mask_access_codes(text)
    stored = _append(locked, Message.Sender.BOT, reply_to=msg, **fields)
    if fields["text"] != text:
        stored.revealed_text = text
    return stored


SYNCED = ("last_seq", "status", "urgent", "state", "inquiry_id", "assigned_to_id", "handover_requested_at")
CHANGED_BY_ANSWER = ["state", "status", "urgent", "inquiry", "handover_requested_at", "last_seq", "updated_at"]


def _sync(conv, fresh):
    for name in SYNCED:
        setattr(conv, name, getattr(fresh, name))


# --- The engine's actions -------------------------------------------------------------------


def _run_actions(conv, msg, actions, lang):
    """Carry out what the engine asked for (docs/chatbot.md lists the actions); returns any
    extra messages stored (e.g. the "nobody is on duty" path)."""
    extra = []
    # The language the engine answered in (the message's language), else the page's.
    lang = normalize_lang((conv.state or {}).get("lang") or lang or conv.lang)
    for action in actions:
        kind = _get(action, "type")
        if kind == "flag_emergency":
            # Every emergency message alerts the desk, not only the first one.
            conv.urgent = True
            _desk_event("chat.emergency", conv, seq=msg.seq, excerpt=msg.text[:200])
            if conv.inquiry_id:
                _flag_inquiry_urgent(conv.inquiry)
        elif kind == "log_unanswered":
            log_unanswered(
                _get(action, "question") or msg.text,
                _get(action, "lang") or lang,
                confidence=_get(action, "confidence") or 0.0,
            )
        elif kind == "handover_request":
            extra.extend(_request_handover(conv, msg, lang, question=_get(action, "last_question") or ""))
        elif kind == "inquiry_created":
            _link_inquiry(conv, _get(action, "reference"))
        elif kind == "track_attempt":
            _hide_code_attempt(msg)
            if _get(action, "ok"):
                # The conversation now shows the request's status and replies: it takes the
                # request's visibility (a police-conduct complaint: supervision only). A wrong
                # code was charged to the address by the desk gateway.
                _link_inquiry(conv, _get(action, "reference"))
        elif kind:
            logger.debug("chat: action %s needs nothing from the transport", kind)
    return extra


def _flag_inquiry_urgent(inquiry):
    try:
        from desk.actions import flag_urgent

        if not inquiry.urgent:
            flag_urgent(inquiry, _("Emergency words in the chat"))
    except Exception:  # the conversation is flagged either way; the desk event went out
        logger.warning("could not flag inquiry %s urgent", inquiry.pk, exc_info=True)


def _hide_code_attempt(msg):
    """The engine read the citizen's message as an access code: mask it however it was typed."""
    masked = mask_access_codes(msg.text, loose=True)
    if masked != msg.text:
        msg.text = masked
        Message.objects.filter(pk=msg.pk).update(text=masked)


def _link_inquiry(conv, reference):
    """Tie the conversation to a request it filed or tracked. Every such request is recorded
    (`inquiries`, which decides who may see the conversation); `inquiry` (where handovers and
    alerts go) is the first one, or a police-conduct complaint, which always takes precedence."""
    if not reference:
        return
    from desk.models import Inquiry

    inquiry = Inquiry.objects.select_related("category").filter(reference=reference).first()
    if inquiry is None:
        return
    conv.inquiries.add(inquiry)
    current = conv.inquiry if conv.inquiry_id else None
    if current is None or (_confidential(inquiry) and not _confidential(current)):
        conv.inquiry = inquiry


def _confidential(inquiry):
    return bool(inquiry.category_id and inquiry.category.is_police_conduct)


def _on_duty(conv):
    from desk.presence import is_anyone_on_duty

    department_id = conv.inquiry.department_id if conv.inquiry_id else None
    return is_anyone_on_duty(department_id)


def _request_handover(conv, msg, lang, question=""):
    """The citizen asked for a person: wait for an officer if one is on duty, otherwise let the
    engine turn the conversation into a request. The desk is shown the citizen's last question
    (`question`, from the engine), not the words of the button that confirmed the handover."""
    if _on_duty(conv):
        conv.status = Conversation.Status.WAITING
        conv.handover_requested_at = timezone.now()
        with translation.override(lang or conv.lang):
            notice = _append(
                conv,
                Message.Sender.SYSTEM,
                _("An officer has been asked to join. Please stay here; you can keep typing."),
                intent="handover_waiting",
                reply_to=msg,
            )
        _desk_event("chat.handover", conv, seq=msg.seq, excerpt=question[:200])
        return [notice]
    result = _engine_unavailable(conv, lang)
    replies = _get(result, "replies") or []
    state = _get(result, "state")
    if state is not None:
        conv.state = state
    return [_append(conv, Message.Sender.BOT, reply_to=msg, **_reply_fields(r)) for r in replies]


def _engine_unavailable(conv, lang):
    """The engine's "nobody is on duty" path: it says so and offers to file a request."""
    from chatbot import engine

    unavailable = getattr(engine, "handover_unavailable", None)
    if unavailable is not None:
        return unavailable(dict(conv.state or {}), lang=lang or conv.lang, page_lang=conv.lang, desk=_desk_gateway())
    return engine.respond(
        dict(conv.state or {}),
        "",
        lang or conv.lang,
        page_lang=conv.lang,
        choice="handover_unavailable",
        desk=_desk_gateway(),
    )


_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_CJK_SPACE = re.compile(r"(?<=[\u2e80-\u9fff\uf900-\ufaff]) | (?=[\u2e80-\u9fff\uf900-\ufaff])")


def normalize_question(text):
    """Case, width, spaces and punctuation do not make a question different (Chinese is written
    without spaces, so a space next to a Chinese character does not count)."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = _PUNCT.sub(" ", text).strip()
    return _CJK_SPACE.sub("", text)[:255]


def log_unanswered(question, lang, confidence=0.0):
    """Count a question the assistant could not answer (the editors' report). Returns True when
    it was counted. One UPDATE for a question asked before; a first one is inserted (if another
    worker inserts it at the same moment, the unique key decides and this one counts instead)."""
    question = mask_access_codes(clean_text(question))[:MAX_MESSAGE_LENGTH]
    normalized = normalize_question(question)
    if not normalized:
        return False
    lang = normalize_lang(lang)
    now = timezone.now()
    confidence = float(confidence or 0.0)
    same = UnansweredQuestion.objects.filter(normalized=normalized, lang=lang)
    if same.update(count=F("count") + 1, last_asked=now, confidence=confidence):
        return True
    try:
        with transaction.atomic():
            UnansweredQuestion.objects.create(
                normalized=normalized,
                lang=lang,
                example=question,
                confidence=confidence,
                first_asked=now,
                last_asked=now,
            )
    except IntegrityError:
        same.update(count=F("count") + 1, last_asked=now, confidence=confidence)
    return True


# --- Feedback -------------------------------------------------------------------------------


def handle_feedback(conv, seq, helpful, comment=""):
    """👍/👎 on one of the assistant's answers in this conversation (voting again changes it)."""
    try:
        seq = int(seq)
    except (TypeError, ValueError):
        raise ChatError("bad_request", _("Which answer is the feedback for?")) from None
    if not isinstance(helpful, bool):
        raise ChatError("bad_request", _("Feedback must say helpful or not."))
    message = Message.objects.filter(conversation=conv, seq=seq, sender=Message.Sender.BOT).first()
    if message is None or not rateable(message):
        raise ChatError("unknown_message", _("That answer was not found."))
    comment = clean_text(comment if isinstance(comment, str) else "")[:MAX_COMMENT_LENGTH]
    feedback, _created = Feedback.objects.update_or_create(
        message=message, defaults={"helpful": helpful, "comment": comment}
    )
    return feedback


# --- Staff side -----------------------------------------------------------------------------


def is_chat_staff(user):
    """Duty staff and Supervisors (and superusers) chat live with citizens, like the desk."""
    from desk.permissions import is_desk_staff

    return is_desk_staff(user)


def visible_conversations(user):
    """The conversations this officer may see, with the desk's rule: Supervisors all; Duty staff
    those without a request yet and those whose request they may see in the desk."""
    from django.db.models import Q

    from desk.models import Inquiry
    from desk.permissions import visible_inquiries

    qs = Conversation.objects.select_related("inquiry", "assigned_to")
    if not is_chat_staff(user):
        return qs.none()
    visible = visible_inquiries(user)
    # A conversation that touched any request this officer may not see stays hidden as a whole.
    hidden = Inquiry.objects.exclude(pk__in=visible.values("pk"))
    return qs.filter(Q(inquiry__isnull=True) | Q(inquiry__in=visible)).exclude(inquiries__in=hidden)


def can_chat(user, conv):
    return visible_conversations(user).filter(pk=conv.pk).exists()


def staff_name(user):
    """What a citizen sees for an officer: role and badge number, never the name (desk.names)."""
    from desk.names import public_label

    return public_label(user)


def staff_join(conv, user):
    """An officer takes the conversation: status live, the citizen sees "… joined".
    Joining again while already chatting changes nothing. Returns the notice, or None."""
    with transaction.atomic():
        locked = _locked(conv)
        if locked.status == Conversation.Status.CLOSED:
            raise ChatError("closed", _("This conversation is closed."))
        if locked.status == Conversation.Status.LIVE and locked.assigned_to_id == user.pk:
            _sync(conv, locked)
            return None
        locked.status = Conversation.Status.LIVE
        locked.assigned_to = user
        with translation.override(locked.lang):
            name = staff_name(user)  # role and badge number, never the name; "" without a badge
            text = (
                _("%(name)s (duty officer) joined the conversation.") % {"name": name}
                if name
                else _("A duty officer joined the conversation.")
            )
            notice = _append(locked, Message.Sender.SYSTEM, text, intent="staff_joined", author=user)
        locked.save(update_fields=["status", "assigned_to", "last_seq", "updated_at"])
        _signal(locked)
    _sync(conv, locked)
    return notice


def staff_message(conv, user, text, client_id=""):
    """An officer writes to the citizen (joining first if they had not)."""
    text = clean_message(text)
    client_id = clean_client_id(client_id)
    if client_id:
        existing = Message.objects.filter(conversation=conv, client_id=client_id).first()
        if existing is not None:
            return existing
    staff_join(conv, user)
    with transaction.atomic():
        locked = _locked(conv)
        msg = _append(locked, Message.Sender.STAFF, text, author=user, client_id=client_id)
        locked.save(update_fields=["last_seq", "updated_at"])
        _signal(locked)
    _sync(conv, locked)
    return msg


def staff_leave(conv, user):
    """The officer leaves: the assistant takes over again and the citizen sees "… left"."""
    with transaction.atomic():
        locked = _locked(conv)
        if locked.status != Conversation.Status.LIVE or locked.assigned_to_id != user.pk:
            _sync(conv, locked)
            return None
        locked.status = Conversation.Status.BOT
        with translation.override(locked.lang):
            notice = _append(
                locked,
                Message.Sender.SYSTEM,
                _("%(name)s left the conversation. The assistant is here again.") % {"name": staff_name(user)},
                intent="staff_left",
                author=user,
            )
        locked.save(update_fields=["status", "last_seq", "updated_at"])
        _signal(locked)
    _sync(conv, locked)
    return notice


def close_conversation(conv, user=None):
    with transaction.atomic():
        locked = _locked(conv)
        if locked.status == Conversation.Status.CLOSED:
            return None
        locked.status = Conversation.Status.CLOSED
        with translation.override(locked.lang):
            notice = _append(locked, Message.Sender.SYSTEM, _("This conversation was closed."), intent="closed")
        locked.save(update_fields=["status", "last_seq", "updated_at"])
        _signal(locked)
    _sync(conv, locked)
    return notice


# --- Wire format ----------------------------------------------------------------------------


# Replies that are steps of a procedure (filing a request, tracking one, handing over to an
# officer) are not answers to rate, and neither is an emergency reply: the widget shows no 👍/👎
# on them and feedback is refused.
UNRATED_INTENTS = frozenset({"request", "track", "handover", "emergency"})


def rateable(msg):
    return msg.sender == Message.Sender.BOT and msg.intent not in UNRATED_INTENTS


def staff_text(msg):
    """A message's text as staff see it: access codes masked, also in transcripts stored before
    codes were masked on the way in."""
    return mask_access_codes(msg.text)


def serialize(msg, for_staff=False):
    """A stored message as the JSON object both sockets send (docs/chat-protocol.md). For staff,
    access codes are masked whatever was stored."""
    data = _serialize(msg)
    if for_staff and "text" in data:
        data["text"] = mask_access_codes(data["text"])
    return data


def _serialize(msg):
    base = {"seq": msg.seq, "at": msg.created_at.isoformat()}
    if msg.sender == Message.Sender.CITIZEN:
        return {"type": "citizen_message", "id": msg.client_id or None, "text": msg.text, **base}
    if msg.sender == Message.Sender.BOT:
        return {
            "type": "reply",
            "id": f"b{msg.seq}",
            "reply_to": (msg.reply_to.client_id or None) if msg.reply_to_id else None,
            "text": msg.text,
            "intent": msg.intent,
            "sources": msg.sources or [],
            "choices": msg.choices or [],
            "links": msg.links or [],
            "rateable": rateable(msg),
            **base,
        }
    if msg.sender == Message.Sender.STAFF:
        return {
            "type": "staff_message",
            "id": msg.client_id or None,
            "text": msg.text,
            "name": staff_name(msg.author) if msg.author_id else "",
            **base,
        }
    event = msg.intent if msg.intent in ("staff_joined", "staff_left") else "notice"
    data = {"type": event, "text": msg.text, **base}
    if event == "notice":
        data["event"] = msg.intent
    if msg.author_id:
        data["name"] = staff_name(msg.author)
    return data
