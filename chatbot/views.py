"""The plain-HTTP chat at /<lang>/chat/: the same engine and storage as the WebSocket chat
(chatbot.service), as a form that works without JavaScript. Each post is answered with a
redirect back to the transcript (post/redirect/get), so reloading never sends a message twice;
a hidden client id per rendered form dedupes a double submission as well."""

import uuid

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal import ratelimit

from . import service
from .service import ChatError

SESSION_KEY = "chat_token"
REVEAL_KEY = "chat_reveal"


def _conversation(request, create=False):
    conv = service.get_conversation(request.session.get(SESSION_KEY))
    if conv is None and create:
        conv, _created = service.get_or_create_conversation(None, get_language(), request.client_address)
        request.session[SESSION_KEY] = conv.token
    return conv


def _rate_limit(request, name):
    try:
        ratelimit.hit(name, request.client_address)
    except ratelimit.RateLimited as exc:
        raise ChatError(
            "rate_limited",
            _("Too many messages from your network. Please wait %(seconds)s seconds.") % {"seconds": exc.retry_after},
            retry_after=exc.retry_after,
        ) from None


def _handle_post(request):
    """Carry out one posted action; returns the seq to jump to, or raises ChatError."""
    action = request.POST.get("action", "message")
    lang = get_language()
    if action == "restart":
        request.session.pop(SESSION_KEY, None)
        return None
    if action == "feedback":
        _rate_limit(request, "chat_feedback")
        conv = _conversation(request)
        if conv is None:
            raise ChatError("unknown_message", _("That answer was not found."))
        seq = request.POST.get("seq")
        service.handle_feedback(conv, seq, request.POST.get("helpful") == "yes")
        return seq
    if action == "message":
        service.clean_message(request.POST.get("text", ""))  # an over-long message costs no quota
    elif action != "choice":
        raise ChatError("bad_request", _("Unknown action."))
    _rate_limit(request, "chat_message_address")
    conv = _conversation(request, create=True)
    client_id = request.POST.get("id", "")[: service.MAX_CLIENT_ID_LENGTH]
    if action == "message":
        result = service.handle_message(conv, request.POST.get("text", ""), client_id, lang)
    else:
        result = service.handle_choice(conv, request.POST.get("choice", ""), client_id, lang)
    # A receipt's access code is stored masked: the next page shows it once, from the session.
    reveal = {str(m.seq): m.revealed_text for m in result.replies if getattr(m, "revealed_text", None)}
    if reveal:
        request.session[REVEAL_KEY] = reveal
    return result.message.seq


@require_http_methods(["GET", "POST"])
def chat_page(request):
    """The transcript and a message box; choices are submit buttons, answers get 👍/👎 buttons."""
    error = None
    if request.method == "POST":
        try:
            seq = _handle_post(request)
        except ChatError as exc:
            error = exc
        else:
            url = reverse("chatbot:chat")
            return redirect(f"{url}#m{seq}" if seq else f"{url}#chat-form")
    conv = _conversation(request)
    messages = service.transcript(conv) if conv else []
    reveal = request.session.pop(REVEAL_KEY, None) or {}
    for msg in messages:
        if str(msg.seq) in reveal:
            msg.text = reveal[str(msg.seq)]
    feedback = {}
    if conv:
        from .models import Feedback

        feedback = dict(Feedback.objects.filter(message__conversation=conv).values_list("message__seq", "helpful"))
    last_choices = None
    for msg in reversed(messages):
        if msg.sender == "bot":
            last_choices = msg.seq if msg.choices else None
            break
    context = {
        "conversation": conv,
        "chat_messages": [(m, feedback.get(m.seq)) for m in messages],
        "choices_seq": last_choices,
        "unrated_intents": service.UNRATED_INTENTS,
        "error": error,
        "text": request.POST.get("text", "") if error else "",
        "client_id": uuid.uuid4().hex,
        "max_length": service.MAX_MESSAGE_LENGTH,
    }
    status = 429 if error and error.code == "rate_limited" else (400 if error else 200)
    return render(request, "chatbot/chat_page.html", context, status=status)
