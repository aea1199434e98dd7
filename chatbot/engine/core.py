"""The conversation engine: state + message → replies, new state, actions (docs/chatbot.md).

Order for every message: emergency (in any state; then the flow in progress resumes), a button
choice, cancel, the flow in progress (request filing, tracking, handover confirmation, "did you
mean"), small talk and commands, then an answer from published content.
"""

import logging
import math
import re
import secrets

from django.utils import timezone

from chatbot import emergency

from . import answer, decision, facts, lookup
from . import text as T
from .gateway import RequestInvalid, default_gateway
from .messages import say
from .types import EngineResult, Reply

logger = logging.getLogger(__name__)

STATE_VERSION = 1
MAX_MISSES = 2  # after this many misunderstandings in a row the menu is offered
MAX_TRACK_ATTEMPTS = 3
MIN_OPENING_DETAILS = 8  # "我要投诉" + this many characters of details: kept as the description draft
# Steps where what the citizen types is data (a name, a code…): the reply language stays the
# conversation's, and command words are not looked for (except cancel).
DATA_STEPS = {"name", "phone", "phone_or_email", "contact_optional", "reference", "code"}
FREE_TEXT_STEPS = DATA_STEPS | {"description"}
EMERGENCY_NUMBERS = ("110", "119", "120")


# --- state -------------------------------------------------------------------------------------


def new_state():
    return {
        "v": STATE_VERSION,
        "sid": secrets.token_hex(8),
        "lang": None,
        "flow": None,
        "step": None,
        "data": {},
        "choices": [],
        "misses": 0,
        "last_question": "",
        "filed": 0,
    }


def _load(state):
    base = new_state()
    if isinstance(state, dict) and state.get("v") == STATE_VERSION:
        base.update({k: v for k, v in state.items() if k in base})
        base["data"] = dict(base["data"] or {})
        base["choices"] = list(base["choices"] or [])
    return base


def _reset_flow(state):
    state.update(flow=None, step=None, data={}, choices=[])


class Turn:
    """One call of respond(): collects replies and actions."""

    def __init__(self, state, lang, desk, track_wait=None):
        self.state = state
        self.lang = lang
        self.desk = desk  # the desk gateway (chatbot.engine.gateway.DeskGateway)
        self.replies = []
        self.actions = []
        # Asked before every tracking look-up: seconds the citizen must wait first (0: go on).
        self.track_wait = track_wait or desk.track_wait

    def reply(self, text, intent, *, sources=None, choices=None, links=None):
        self.replies.append(
            Reply(
                text=text,
                intent=intent,
                lang=self.lang,
                sources=list(sources or []),
                choices=list(choices or []),
                links=list(links or []),
            )
        )
        self.state["choices"] = list(choices or [])

    def action(self, type_, **data):
        self.actions.append({"type": type_, **data})

    def result(self):
        self.state["lang"] = self.lang
        return EngineResult(replies=self.replies, state=self.state, actions=self.actions)


def _menu(lang, *, with_continue=False):
    choices = [
        {"id": "menu:ask", "label": say("menu_ask", lang)},
        {"id": "menu:request", "label": say("menu_request", lang)},
        {"id": "menu:track", "label": say("menu_track", lang)},
        {"id": "menu:handover", "label": say("menu_handover", lang)},
    ]
    if with_continue:
        choices.insert(0, {"id": "menu:continue", "label": say("menu_continue", lang)})
        choices.append({"id": "menu:cancel", "label": say("menu_cancel", lang)})
    return choices


# --- entry points ------------------------------------------------------------------------------


def respond(state, text, lang=None, *, page_lang="zh-hans", choice=None, desk=None, track_wait=None):
    """Answer one citizen message. `lang` is the language of the page the message came from (a
    hint: the message's own script decides, see text.detect_language); `choice` is the id of a
    button the citizen pressed (`text` is then its label). `desk`, given by the transport, is the
    desk gateway (chatbot.engine.gateway.DeskGateway) that files and tracks requests and keeps
    the citizen's budget of access-code guesses (default: settings.CHAT_DESK_GATEWAY without a
    client address). `track_wait`, if given, replaces the gateway's `track_wait`."""
    desk = default_gateway() if desk is None else desk
    state = _load(state)
    text = (text or "").strip()
    fallback_lang = lang if lang in ("zh-hans", "en") else (state.get("lang") or page_lang)
    if state["flow"] and state["step"] in DATA_STEPS and state.get("lang"):
        reply_lang = state["lang"]
    else:
        reply_lang = T.detect_language(text, fallback_lang)
    turn = Turn(state, reply_lang, desk, track_wait)

    if choice is None and text:
        match = emergency.detect(text, reply_lang)
        if match is not None:
            _emergency(turn, match, text)
            return turn.result()

    if choice:
        if _choice(turn, choice, text):
            return turn.result()
    if not text:
        _misunderstood(turn)
        return turn.result()
    if T.whole(T.CANCEL, text):
        if state["flow"] == "handover":  # "不用了" declines the transfer
            _handover_answer(turn, False)
            return turn.result()
        _reset_flow(state)
        state["misses"] = 0
        turn.reply(say("cancelled", reply_lang), "fallback", choices=_menu(reply_lang))
        return turn.result()
    if state["flow"] and _continue_flow(turn, text):
        return turn.result()
    _top_level(turn, text)
    return turn.result()


def handover_unavailable(state, lang=None, *, page_lang="zh-hans", desk=None):
    """The transport's call when the citizen asked for a person (action handover_request) and
    nobody is on duty: say so and turn the conversation into a request, with the question that
    could not be answered (if any) as the description draft."""
    state = _load(state)
    lang = lang if lang in ("zh-hans", "en") else (state.get("lang") or page_lang)
    turn = Turn(state, lang, default_gateway() if desk is None else desk)
    turn.reply(say("handover_unavailable", lang), "handover")
    _start_request(turn, description=state.get("last_question") or "", announce=False)
    return turn.result()


# --- emergency ---------------------------------------------------------------------------------


def _emergency(turn, match, text):
    lang = turn.lang
    lines = [say("emergency", lang)]
    extra = {"fire": "emergency_fire", "medical": "emergency_medical", "suicide": "emergency_suicide"}.get(
        match.category
    )
    if extra:
        lines.append(say(extra, lang))
    links = [{"label": number, "url": f"tel:{number}"} for number in match.numbers]
    pending_choices = list(turn.state.get("choices") or [])
    turn.replies.append(Reply(text="\n".join(lines), intent="emergency", lang=lang, links=links))
    turn.action("flag_emergency", category=match.category, score=match.score, phrases=list(match.phrases))
    state = turn.state
    if not state["flow"]:
        state["choices"] = []
        # After the numbers the question is still answered as it would be without the alarm: a
        # false alarm ("救命 这个网站怎么这么卡") keeps its answer or its "did you mean", and a real
        # one can still be helped ("孩子不见了": the missing-person FAQ says there is no 24-hour
        # wait). Only "I don't know" is left out (no miss counted): the numbers came first.
        _answer_question(turn, text, after_emergency=True)
        return
    # Resume the flow in progress: a description is kept (nothing typed is lost), otherwise the
    # pending question is asked again.
    if state["flow"] == "request" and state["step"] == "description":
        _request_answer(turn, text, None)
        return
    turn.replies.append(Reply(text=say("emergency_resume", lang), intent=state["flow"], lang=lang))
    state["choices"] = pending_choices
    _ask_current(turn)


# --- choices -----------------------------------------------------------------------------------


def _choice(turn, choice, text):
    """Handle a pressed button; False when it does not fit the current state (then the label is
    read as typed text)."""
    state = turn.state
    lang = turn.lang
    kind, _sep, value = str(choice).partition(":")
    if choice == "handover_unavailable":
        result = handover_unavailable(state, lang, desk=turn.desk)
        turn.replies.extend(result.replies)
        return True
    if kind == "menu":
        state["misses"] = 0
        if value == "continue" and state["flow"]:
            _ask_current(turn)
        elif value == "cancel":
            _reset_flow(state)
            turn.reply(say("cancelled", lang), "fallback", choices=_menu(lang))
        elif value == "ask":
            _reset_flow(state)
            turn.reply(say("ask_prompt", lang), "help")
        elif value == "request":
            _reset_flow(state)
            _start_request(turn, description="")
        elif value == "track":
            _reset_flow(state)
            _start_track(turn, None)
        elif value == "handover":
            _reset_flow(state)
            _start_handover(turn)
        else:
            _top_level(turn, text)
        return True
    if kind in ("faq", "page"):
        _answer_picked(turn, kind, value)
        return True
    if choice == "clarify:none":
        _reset_flow(state)
        _unknown(turn, state.get("last_question") or text, 0.0)
        return True
    if kind == "handover" and state["flow"] == "handover":
        _handover_answer(turn, value == "yes")
        return True
    if state["flow"] == "request" and kind in ("kind", "cat", "contact", "consent", "edit", "submit"):
        _request_answer(turn, text, str(choice))
        return True
    return False


# --- flows -------------------------------------------------------------------------------------


def _continue_flow(turn, text):
    state = turn.state
    flow = state["flow"]
    if state["step"] not in FREE_TEXT_STEPS and T.matches(T.HANDOVER, text) and flow != "handover":
        _reset_flow(state)
        _start_handover(turn)
        return True
    if flow == "request":
        _request_answer(turn, text, None)
        return True
    if flow == "track":
        _track_answer(turn, text)
        return True
    if flow == "handover":
        if T.whole(T.YES, text):
            _handover_answer(turn, True)
            return True
        if T.whole(T.NO, text):
            _handover_answer(turn, False)
            return True
        _reset_flow(state)  # something else: treat as a new message
        return False
    if flow == "clarify":
        picked = T.pick_label(text, state["choices"])
        if picked is not None:
            kind, _sep, value = picked["id"].partition(":")
            if picked["id"] == "clarify:none":
                _reset_flow(state)
                _unknown(turn, state.get("last_question") or text, 0.0)
            else:
                _answer_picked(turn, kind, value)
            return True
        _reset_flow(state)
        return False
    _reset_flow(state)
    return False


def _ask_current(turn):
    flow = turn.state["flow"]
    if flow == "request":
        _ask_request_step(turn)
    elif flow == "track":
        _ask_track_step(turn)
    elif flow == "handover":
        _start_handover(turn)
    elif flow == "clarify":
        turn.reply(say("clarify", turn.lang), "clarify", choices=turn.state["choices"])


def _misunderstood(turn, *, reask=None):
    """Count a misunderstanding; the second in a row offers the menu instead of asking again."""
    state = turn.state
    state["misses"] += 1
    lang = turn.lang
    if state["misses"] >= MAX_MISSES:
        turn.reply(say("fallback", lang), "fallback", choices=_menu(lang, with_continue=bool(state["flow"])))
        return
    if reask is not None:
        reask()
        return
    turn.reply(say("fallback_once", lang), "fallback")


# --- top level: small talk, commands, answers ----------------------------------------------------


def _top_level(turn, text):
    state = turn.state
    lang = turn.lang
    if T.whole(T.GREETING, text):
        state["misses"] = 0
        turn.reply(say("greeting", lang), "greeting", choices=_menu(lang))
        return
    if T.whole(T.THANKS, text):
        state["misses"] = 0
        turn.reply(say("thanks", lang), "thanks")
        return
    if T.whole(T.GOODBYE, text):
        state["misses"] = 0
        _reset_flow(state)
        turn.reply(say("goodbye", lang), "goodbye")
        return
    if T.matches(T.HELP, text) and len(T.bare(text)) <= 30:
        state["misses"] = 0
        turn.reply(say("help", lang), "help", choices=_menu(lang))
        return
    reference = T.find_reference(text)
    if reference or T.matches(T.TRACK, text):
        state["misses"] = 0
        _start_track(turn, reference, T.find_access_code(text))
        return
    if T.matches(T.HANDOVER, text):
        state["misses"] = 0
        _start_handover(turn)
        return
    if T.matches(T.REQUEST, text):
        state["misses"] = 0
        kind = next((slug for slug, pattern in T.KIND_WORDS if pattern.search(T.normalize(text))), None)
        # "我想举报小区里天天有人聚众赌博": what follows the command is already the description
        # (the citizen confirms or changes it at the summary).
        rest = T.FILLER.sub(" ", T.REQUEST.sub(" ", T.bare(text))).replace(" ", "")
        _start_request(turn, description=text if len(rest) >= MIN_OPENING_DETAILS else "", kind=kind)
        return
    if not re.search(r"[\w\u3400-\u9fff]", text):
        _misunderstood(turn)
        return
    _answer_question(turn, text)


def _answer_question(turn, text, *, after_emergency=False):
    state = turn.state
    lang = turn.lang
    fact = facts.about_station(text, lang) or facts.about_guide(text, lang)
    if fact is not None:
        state["misses"] = 0
        _say_fact(turn, fact)
        return
    found = lookup.find(text, lang)  # live hits only (see lookup: kept until the content changes)
    if lang == "en" and not _found_something(found) and answer.reads_as_pinyin(text):
        # Chinese typed in pinyin ("diandongche shangpai", "jianyiyongwei"): Latin letters make the
        # message English, but the English content has nothing; the Chinese content may.
        in_chinese = lookup.find(text, "zh-hans")
        if _found_something(in_chinese):
            turn.lang = lang = "zh-hans"
            found = in_chinese
    hits, conf = list(found.hits), found.confidence
    if hits and conf >= decision.answer_at():
        state["misses"] = 0
        fact = facts.about_guide(text, lang, hits[0], found.top_faq.key if found.top_faq else None)
        if fact is not None:
            _say_fact(turn, fact)
            return
        if _answer_hit(turn, hits[0], found.top_faq):
            return
    offers = lookup.offers(text, lang)  # both rankings fused (a second search: not when answering)
    if offers.hits and offers.relevant:  # "did you mean" whenever anything relevant was found
        state["misses"] = 0
        state["last_question"] = text
        offered = offers.hits
        choices = [{"id": f"{hit.kind}:{hit.key}", "label": hit.title} for hit in offered]
        choices.append({"id": "clarify:none", "label": say("clarify_none", lang)})
        state.update(
            flow="clarify",
            step="pick",
            data={"pages": {h.key: answer.hit_source(h) | {"snippet": h.snippet} for h in offered if h.kind == "page"}},
        )
        turn.reply(say("clarify", lang), "clarify", choices=choices)
        turn.action("log_unanswered", question=text, confidence=conf, lang=lang)
        return
    if after_emergency:
        return
    _unknown(turn, text, conf)


def _found_something(found):
    """Whether the search found anything relevant (an answer or "did you mean", not "I don't know")."""
    return bool(found.hits) and decision.relevant(found.features)


def _answer_hit(turn, hit, faq):
    """Answer with the top hit: its FAQ (`faq`, None when it is gone) or an excerpt of its page."""
    if hit.kind == "faq":
        if faq is None:
            return False
        _say_faq(turn, faq)
        return True
    _say_page(turn, answer.hit_source(hit) | {"snippet": hit.snippet})
    return True


def _say_faq(turn, faq):
    body, shortened = answer.shorten(faq.answer_text)
    if shortened:
        body += "\n" + say("more_at_source", turn.lang)
    turn.reply(body, "faq", sources=[answer.faq_source(faq)])
    turn.action("answered", key=faq.key, kind="faq")


def _say_fact(turn, fact):
    """A fact from a station page or a service guide, citing it."""
    turn.reply(fact.text, "faq", sources=[fact.source])
    turn.action("answered", key=fact.source["key"], kind="page")


def _say_page(turn, page):
    snippet, _shortened = answer.shorten(page.get("snippet") or "", 240)
    text = say("page_intro", turn.lang) + ("\n" + snippet if snippet else "")
    turn.reply(text, "faq", sources=[{k: page[k] for k in ("key", "title", "url")}])
    turn.action("answered", key=page["key"], kind="page")


def _answer_picked(turn, kind, key):
    state = turn.state
    lang = turn.lang
    pages = (state.get("data") or {}).get("pages") or {}
    _reset_flow(state)
    state["misses"] = 0
    if kind == "faq":
        faq = answer.live_faq(key, lang)
        if faq is not None:
            _say_faq(turn, faq)
            return
    elif key in pages:
        _say_page(turn, pages[key])
        return
    turn.reply(say("faq_gone", lang) + "\n" + say("unknown", lang), "unknown", choices=_offer(lang))


def _offer(lang):
    return [
        {"id": "menu:handover", "label": say("menu_handover", lang)},
        {"id": "menu:request", "label": say("menu_request", lang)},
    ]


def _unknown(turn, question, conf):
    state = turn.state
    lang = turn.lang
    state["last_question"] = question
    turn.action("log_unanswered", question=question, confidence=conf, lang=lang)
    state["misses"] += 1
    if state["misses"] >= MAX_MISSES:
        turn.reply(say("unknown", lang) + "\n" + say("fallback", lang), "fallback", choices=_menu(lang))
        return
    turn.reply(say("unknown", lang), "unknown", choices=_offer(lang))


# --- handover ----------------------------------------------------------------------------------


def _start_handover(turn):
    state = turn.state
    state.update(flow="handover", step="confirm", data={})
    lang = turn.lang
    turn.reply(
        say("handover_confirm", lang),
        "handover",
        choices=[
            {"id": "handover:yes", "label": say("handover_yes", lang)},
            {"id": "handover:no", "label": say("handover_no", lang)},
        ],
    )


def _handover_answer(turn, yes):
    state = turn.state
    _reset_flow(state)
    state["misses"] = 0
    if yes:
        turn.reply(say("handover_requested", turn.lang), "handover")
        turn.action("handover_request", last_question=state.get("last_question") or "")
    else:
        turn.reply(say("handover_declined", turn.lang), "handover", choices=_menu(turn.lang))


# --- tracking ----------------------------------------------------------------------------------


def _track_url(lang, reference=""):
    suffix = f"?reference={reference}" if reference else ""
    return f"/{lang}/requests/track/{suffix}"


def _start_track(turn, reference, code=None):
    state = turn.state
    state.update(flow="track", step="reference", data={"attempts": 0})
    if reference:
        state["data"]["reference"] = reference
        state["step"] = "code"
        if code:
            _track_lookup(turn, code)
            return
    _ask_track_step(turn)


def _ask_track_step(turn):
    step = turn.state["step"]
    turn.reply(say("track_ask_code" if step == "code" else "track_ask_reference", turn.lang), "track")


def _looks_like_a_sentence(text):
    """Chinese text or several words: a new question rather than a reference or a code."""
    return bool(T.HAN.search(text)) and len(T.bare(text)) > 3 or len(T.bare(text).split()) >= 3


def _track_answer(turn, text):
    state = turn.state
    lang = turn.lang
    if state["step"] == "reference":
        reference = T.find_reference(text)
        if reference is None and _looks_like_a_sentence(text):
            _reset_flow(state)  # the citizen moved on: read it as a new message
            _top_level(turn, text)
            return
        if reference is None:
            _misunderstood(turn, reask=lambda: turn.reply(say("track_bad_reference", lang), "track"))
            return
        state["misses"] = 0
        state["data"]["reference"] = reference
        state["step"] = "code"
        code = T.find_access_code(text)
        if code:
            _track_lookup(turn, code)
        else:
            _ask_track_step(turn)
        return
    reference = T.find_reference(text)
    if reference and reference != state["data"].get("reference"):
        state["data"]["reference"] = reference
    code = T.find_access_code(text)
    if code is None and not reference and _looks_like_a_sentence(text):
        _reset_flow(state)
        _top_level(turn, text)
        return
    code = code or T.normalize(text).upper()
    _track_lookup(turn, code)


def _track_lookup(turn, code):
    state = turn.state
    lang = turn.lang
    reference = state["data"].get("reference", "")
    wait = turn.track_wait()
    if wait:
        # Too many wrong codes from this address (chat, tracking page and API together): no
        # look-up at all, so even the right code shows nothing until the wait is over.
        _reset_flow(state)
        minutes = max(1, math.ceil(wait / 60))
        turn.reply(say("track_wait_one" if minutes == 1 else "track_wait", lang, minutes=minutes), "track")
        return
    found = turn.desk.look_up(reference, code, lang)
    turn.action("track_attempt", reference=reference, ok=found is not None)
    if found is None:
        state["data"]["attempts"] = state["data"].get("attempts", 0) + 1
        if state["data"]["attempts"] >= MAX_TRACK_ATTEMPTS:
            _reset_flow(state)
            turn.reply(say("track_give_up", lang, track_url=_track_url(lang)), "track", choices=_offer(lang))
            return
        turn.reply(say("track_not_found", lang) + "\n" + say("track_ask_code", lang), "track")
        return
    _reset_flow(state)
    state["misses"] = 0
    due = timezone.localtime(found.due_at).strftime("%Y-%m-%d") if found.due_at else "—"
    lines = [say("track_status", lang, reference=found.reference, status=found.status_label, due=due)]
    if found.latest_reply:
        at = timezone.localtime(found.latest_reply["at"]).strftime("%Y-%m-%d %H:%M")
        body, _short = answer.shorten(found.latest_reply["text"], 600)
        lines.append(say("track_latest_reply", lang, at=at, text=body))
    else:
        lines.append(say("track_no_reply", lang))
    url = _track_url(lang, found.reference)
    lines.append(say("track_more", lang, track_url=url))
    links = []
    if found.rate_url:  # 好差评 in the chat: the signed rating link of the closing notice
        lines.append(say("track_rate", lang))
        links.append({"label": say("track_rate_link", lang), "url": found.rate_url})
    turn.reply(
        "\n".join(lines),
        "track",
        sources=[{"key": found.reference, "title": found.reference, "url": url}],
        links=links,
    )


# --- request filing ----------------------------------------------------------------------------


def _options(turn):
    return turn.desk.options(turn.lang)


def _start_request(turn, *, description="", kind=None, announce=True):
    state = turn.state
    state.update(flow="request", step=None, data={})
    if kind:
        state["data"]["kind"] = kind
    if description and not turn.desk.description_too_short(description):
        state["data"]["description"] = description
    if announce:
        turn.reply(say("req_start", turn.lang), "request")
    _ask_request_step(turn)


def _kind_rule(opts, kind):
    for item in opts["kinds"]:
        if item["slug"] == kind:
            return item
    return None


def _next_step(data, opts):
    kind = _kind_rule(opts, data.get("kind"))
    if kind is None:
        return "kind"
    if not data.get("category") or data["category"] not in kind["categories"]:
        return "category"
    if not data.get("description"):
        return "description"
    contact = kind["contact"]
    for field in contact["required"]:
        if not data.get(field):
            return field
    if contact["one_of"] and not any(data.get(f) for f in contact["one_of"]):
        return "phone_or_email"
    if (
        not contact["required"]
        and not contact["one_of"]
        and not (data.get("phone") or data.get("email") or data.get("anonymous"))
    ):
        return "contact_optional"
    if not data.get("consent"):
        return "consent"
    return "summary"


def _ask_request_step(turn):
    state = turn.state
    lang = turn.lang
    opts = _options(turn)
    step = _next_step(state["data"], opts)
    state["step"] = step
    if step == "kind":
        choices = [{"id": f"kind:{k['slug']}", "label": k["name"]} for k in opts["kinds"]]
        turn.reply(say("req_kind", lang), "request", choices=choices)
    elif step == "category":
        allowed = set(_kind_rule(opts, state["data"]["kind"])["categories"])
        choices = [{"id": f"cat:{c['slug']}", "label": c["name"]} for c in opts["categories"] if c["slug"] in allowed]
        turn.reply(say("req_category", lang), "request", choices=choices)
    elif step == "description":
        turn.reply(say("req_description", lang), "request")
    elif step == "name":
        turn.reply(say("req_name", lang), "request")
    elif step == "phone":
        turn.reply(say("req_phone", lang), "request")
    elif step == "phone_or_email":
        turn.reply(say("req_phone_or_email", lang), "request")
    elif step == "contact_optional":
        turn.reply(
            say("req_contact_optional", lang),
            "request",
            choices=[{"id": "contact:skip", "label": say("req_anonymous", lang)}],
        )
    elif step == "consent":
        turn.reply(
            say("req_consent", lang, privacy_url=answer.privacy_url(lang)),
            "request",
            choices=[{"id": "consent:yes", "label": say("yes", lang)}, {"id": "consent:no", "label": say("no", lang)}],
            sources=[{"key": "privacy", "title": say("privacy_title", lang), "url": answer.privacy_url(lang)}],
        )
    else:
        _summary(turn, opts)


def _summary(turn, opts):
    lang = turn.lang
    data = turn.state["data"]
    kind_name = _kind_rule(opts, data["kind"])["name"]
    category_name = next((c["name"] for c in opts["categories"] if c["slug"] == data["category"]), data["category"])
    contact = ", ".join(v for v in (data.get("name"), data.get("phone"), data.get("email")) if v) or say(
        "anonymous", lang
    )
    description, _short = answer.shorten(data["description"], 300)
    choices = [
        {"id": "submit", "label": say("req_submit", lang)},
        {"id": "edit:kind", "label": say("req_edit_kind", lang)},
        {"id": "edit:category", "label": say("req_edit_category", lang)},
        {"id": "edit:description", "label": say("req_edit_description", lang)},
        {"id": "edit:contact", "label": say("req_edit_contact", lang)},
        {"id": "menu:cancel", "label": say("menu_cancel", lang)},
    ]
    turn.reply(
        say("req_summary", lang, kind=kind_name, category=category_name, description=description, contact=contact),
        "request",
        choices=choices,
    )


def _valid_email(value):
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _request_answer(turn, text, choice):  # noqa: C901 - one branch per step reads best
    state = turn.state
    lang = turn.lang
    data = state["data"]
    opts = _options(turn)
    step = state["step"] or _next_step(data, opts)
    choices = state.get("choices") or []
    picked = None
    if choice:
        picked = next((c for c in choices if c["id"] == choice), {"id": choice, "label": text})
    elif step in ("kind", "category", "consent", "summary", "contact_optional") and choices:
        picked = T.pick_label(text, choices)

    def invalid():
        def reask():
            turn.reply(say("req_invalid_choice", lang), "request")
            _ask_request_step(turn)

        _misunderstood(turn, reask=reask)

    if picked and picked["id"] == "menu:cancel":
        _reset_flow(state)
        turn.reply(say("cancelled", lang), "fallback", choices=_menu(lang))
        return
    if step == "kind":
        slug = picked["id"].split(":", 1)[1] if picked and picked["id"].startswith("kind:") else None
        if slug is None:
            slug = next((s for s, pattern in T.KIND_WORDS if pattern.search(T.normalize(text))), None)
        if slug is None or _kind_rule(opts, slug) is None:
            invalid()
            return
        data["kind"] = slug
    elif step == "category":
        slug = picked["id"].split(":", 1)[1] if picked and picked["id"].startswith("cat:") else None
        if slug is None or slug not in _kind_rule(opts, data["kind"])["categories"]:
            invalid()
            return
        data["category"] = slug
    elif step == "description":
        if turn.desk.description_too_short(text):
            _misunderstood(turn, reask=lambda: turn.reply(say("req_description_short", lang), "request"))
            return
        data["description"] = text[:5000]
    elif step == "name":
        if not text or len(text) > 100 or not re.search(r"[^\d\s]", text):
            _misunderstood(turn, reask=lambda: turn.reply(say("req_bad_name", lang), "request"))
            return
        data["name"] = text
    elif step == "phone":
        if not turn.desk.valid_phone(text):
            _misunderstood(turn, reask=lambda: turn.reply(say("req_bad_phone", lang), "request"))
            return
        data["phone"] = text
    elif step in ("phone_or_email", "contact_optional"):
        if step == "contact_optional" and (
            (picked and picked["id"] == "contact:skip") or T.whole(T.SKIP, text) or T.whole(T.NO, text)
        ):
            data["anonymous"] = True
        elif _valid_email(text):
            data["email"] = text
        elif turn.desk.valid_phone(text):
            data["phone"] = text
        else:
            _misunderstood(turn, reask=lambda: turn.reply(say("req_bad_contact", lang), "request"))
            return
    elif step == "consent":
        agreed = (picked and picked["id"] == "consent:yes") or (not picked and T.whole(T.YES, text))
        refused = (picked and picked["id"] == "consent:no") or (not picked and T.whole(T.NO, text))
        if refused:
            turn.reply(say("req_consent_needed", lang), "request")
            _ask_request_step(turn)
            return
        if not agreed:
            invalid()
            return
        data["consent"] = True
    elif step == "summary":
        target = picked["id"] if picked else ("submit" if T.whole(T.YES, text) else None)
        if target == "submit":
            _submit(turn, opts)
            return
        if target and target.startswith("edit:"):
            field = target.split(":", 1)[1]
            for name in {
                "kind": ("kind", "category"),
                "category": ("category",),
                "description": ("description",),
                "contact": ("name", "phone", "email", "anonymous"),
            }.get(field, ()):
                data.pop(name, None)
            state["misses"] = 0
            _ask_request_step(turn)
            return
        invalid()
        return
    state["misses"] = 0
    _ask_request_step(turn)


def _subject(description):
    first = re.split(r"[。！？!?\n]|\. ", description.strip(), maxsplit=1)[0].strip()
    return (first[:60] + "…") if len(first) > 60 else first or description[:60]


def _submit(turn, opts):
    state = turn.state
    lang = turn.lang
    data = state["data"]
    try:
        filed = turn.desk.open_request(
            kind=data["kind"],
            category=data["category"],
            subject=_subject(data["description"]),
            description=data["description"],
            name=data.get("name", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            lang=lang,
            consent=bool(data.get("consent")),
            idempotency_key=f"chat-{state['sid']}-{state['filed']}",
        )
    except RequestInvalid as exc:
        field_steps = {
            "kind": ("kind", "category"),
            "category": ("category",),
            "subject": ("description",),
            "description": ("description",),
            "name": ("name",),
            "phone": ("phone",),
            "email": ("email",),
            "consent": ("consent",),
        }
        messages = []
        for field, errors in exc.items():
            messages.extend(errors)
            for name in field_steps.get(field, ()):
                data.pop(name, None)
        turn.reply(say("req_failed", lang, errors=" ".join(messages)), "request")
        _ask_request_step(turn)
        return
    except Exception:
        logger.exception("chat: filing a request failed")
        turn.reply(
            say("req_error_unexpected", lang, form_url=f"/{lang}/requests/new/"),
            "request",
            choices=[{"id": "submit", "label": say("req_submit", lang)}],
        )
        return
    state["filed"] += 1
    _reset_flow(state)
    state["misses"] = 0
    state["last_question"] = ""
    due = timezone.localtime(filed.due_at).strftime("%Y-%m-%d") if filed.due_at else "—"
    url = _track_url(lang, filed.reference)
    turn.reply(
        say("req_created", lang, reference=filed.reference, access_code=filed.access_code, track_url=url, due=due),
        "request",
        links=[
            {"label": say("req_track_link", lang, reference=filed.reference), "url": url},
            # the signed receipt (电子签章): a link anyone can check
            {"label": say("req_verify_link", lang, code=filed.receipt_code), "url": filed.receipt_url},
        ],
    )
    turn.action("inquiry_created", reference=filed.reference)
