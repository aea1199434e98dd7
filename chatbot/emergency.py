"""Emergency detection: the first thing the chat engine does with every message, in any state.

Policy (see docs/chatbot.md and the labelling rule of chatbot/data/emergency-dev/README.md): an
emergency is danger to someone's life, body or property now or imminently, including something
that has just happened while the person is still hurt, trapped or missing or the offender is
still there, and a fraud transfer being made. A danger that is over or handled, hypothetical,
fictional (film, game, homework, drill), a figure of speech or a joke, and questions about
procedure, law or the emergency numbers are not emergencies: the engine answers them normally.

How: two parts, either of which flags a message.
1. The model (chatbot/emergency_model.py): a logistic regression over character n-grams, words
   and cue classes (now, past, handled, hypothetical, procedure, fiction …) of the normalised
   text, trained by `manage.py train_emergency_model` from the labelled messages in the
   repository; its threshold was chosen on out-of-fold predictions with a bias towards recall.
   It also names the category (which number leads the reply).
2. Editors' patterns (EmergencyPattern snippet in the admin): a trigger adds its weight (1.0 is
   enough alone; less needs a sign of now such as "现在", "right now", "救命"); an exclusion blanks
   the phrase it covers before both parts look at the message, so it also silences the model on a
   local figure of speech.
There is no built-in list of phrases: what ships is the model.
"""

import logging
import re
from dataclasses import dataclass, field

from django.db import DatabaseError

from chatbot import emergency_model
from chatbot.emergency_features import CUES
from chatbot.emergency_features import normalize as _normalize_features
from portal.versioned_cache import VersionedCache

logger = logging.getLogger(__name__)

THRESHOLD = 0.8  # editors' patterns: the summed weight (plus IMMEDIACY_BONUS) that flags a message
IMMEDIACY_BONUS = 0.3
# Editors' patterns are compiled once per process and recompiled after a change (in every
# process and host: portal.versioned_cache, docs/caching.md).
PATTERNS_CACHE = "emergency-patterns"

# Which numbers lead the reply, per category (all replies list 110, 119 and 120).
NUMBERS = {
    "fire": ("119", "110", "120"),
    "medical": ("120", "110", "119"),
    "suicide": ("110", "120", "119"),
}
DEFAULT_NUMBERS = ("110", "120", "119")
CATEGORIES = ("danger", "violence", "crime", "fire", "medical", "threat", "suicide", "kidnapping")


@dataclass(frozen=True)
class EmergencyMatch:
    """What detect() found: the leading category, its score and the phrases that matched (an
    editor's pattern, or the n-grams that weighed most in the model)."""

    category: str
    score: float
    phrases: tuple[str, ...]
    lang: str
    numbers: tuple[str, ...] = field(default=DEFAULT_NUMBERS)


def normalize(text):
    """The form messages and editors' patterns are matched in (full-width and traditional
    characters folded, lower case, spaces between Chinese characters removed)."""
    return _normalize_features(text)


def _phrase_regex(phrase):
    """A plain editor phrase as a regex: normalised like messages, word-bounded in Latin script."""
    norm = normalize(phrase)
    body = re.escape(norm).replace(r"\ ", r"\s*")
    if re.match(r"[a-z0-9]", norm):
        body = r"\b" + body
    if re.search(r"[a-z0-9]$", norm):
        body += r"\b"
    return body


# --- editors' patterns ---------------------------------------------------------------------------


@dataclass
class _Trigger:
    regex: re.Pattern
    category: str
    weight: float
    source: str  # the pattern text as written (for the match report)
    lang: str  # "zh-hans", "en" or "any"


@dataclass
class _PatternSet:
    triggers: list
    exclusions: list


_patterns = VersionedCache(PATTERNS_CACHE)


def _build(db_rows):
    triggers = []
    exclusions = []
    for row in db_rows:
        if not row["active"]:
            continue
        try:
            # Messages are matched in normalised form (lower case): so are editors' expressions.
            regex = re.compile(row["pattern"] if row["is_regex"] else _phrase_regex(row["pattern"]), re.IGNORECASE)
        except re.error:
            logger.warning("emergency pattern %r is not a valid regular expression; skipped", row["pattern"])
            continue
        if row["kind"] == "exclusion":
            exclusions.append((regex, row["language"]))
        else:
            triggers.append(_Trigger(regex, row["category"], row["weight"], row["pattern"], row["language"]))
    return triggers, exclusions


def _load_db_rows():
    from chatbot.engine_models import EmergencyPattern

    try:
        return list(
            EmergencyPattern.objects.values("pattern", "is_regex", "language", "kind", "category", "weight", "active")
        )
    except DatabaseError:  # not migrated yet: the built-in set still works
        logger.warning("emergency patterns table unavailable; using the built-in set only")
        return []


def patterns():
    """The compiled pattern set (kept per process; recompiled after an editor's change: at once
    in this process, within a second in the others)."""
    return _patterns.get("all", lambda: _PatternSet(*_build(_load_db_rows())))


def invalidate():
    """Forget the compiled set here and, through the shared version, in every other process."""
    _patterns.bump()


# --- detection ---------------------------------------------------------------------------------

_HAN = r"\u3400-\u9fff"
# Signs of now: a weak editor pattern (weight below 1) needs one of these.
_IMMEDIACY = re.compile("|".join(f"(?:{CUES[name]})" for name in ("now", "just", "help")) + "|!")


def _detect_lang(text):
    return "zh-hans" if re.search(rf"[{_HAN}]", text) else "en"


def warm_up():
    """Load the model (once per process; the server's background warm-up calls this)."""
    return emergency_model.get()


@dataclass(frozen=True)
class Analysis:
    """The detector's working, for tests, tuning and the docs."""

    normalized: str
    lang: str
    probability: float  # the model's
    threshold: float  # the model's
    category: str | None  # the model's guess of the category
    evidence: tuple  # n-grams that weighed most in the model
    editor_scores: dict  # category -> summed weight of the editors' triggers that matched
    phrases: tuple  # editors' trigger phrases that matched


def analyse(text, lang=None):
    """Score a message with both parts (see the module docstring). An editor's pattern limited to
    one language applies only to messages in that language."""
    norm = normalize(text)
    msg_lang = lang if lang in ("zh-hans", "en") else _detect_lang(norm)
    model = emergency_model.get()
    if not norm:
        return Analysis(norm, msg_lang, 0.0, model.threshold, None, (), {}, ())
    pset = patterns()
    cleaned = norm
    for regex, pattern_lang in pset.exclusions:
        if pattern_lang in ("any", msg_lang):
            cleaned = regex.sub(lambda m: " " * len(m.group(0)), cleaned)
    per_category = {}
    phrases = []
    for trig in sorted(pset.triggers, key=lambda t: -t.weight):
        if trig.lang not in ("any", msg_lang):
            continue
        m = trig.regex.search(cleaned)
        if m:
            phrases.append(m.group(0).strip())
            per_category.setdefault(trig.category, []).append(trig.weight)
    editor_scores = {}
    if per_category:
        bonus = IMMEDIACY_BONUS if _IMMEDIACY.search(cleaned) else 0.0
        for category, weights in per_category.items():
            editor_scores[category] = round(max(weights) + 0.5 * (sum(weights) - max(weights)) + bonus, 3)
    scored = model.score(cleaned) if cleaned.strip() else emergency_model.Score(0.0, None, ())
    return Analysis(
        norm,
        msg_lang,
        scored.probability,
        model.threshold,
        scored.category,
        scored.evidence,
        editor_scores,
        tuple(phrases),
    )


def _small_talk(text):
    """True when the whole message is one of the engine's small-talk phrases (a greeting, thanks,
    goodbye, yes/no, cancel, skip): the model reads few characters there and "hello" shares most
    of its n-grams with "help"."""
    from chatbot.engine import text as T

    return any(T.whole(p, text) for p in (T.GREETING, T.THANKS, T.GOODBYE, T.CANCEL, T.YES, T.NO, T.SKIP))


def detect(text, lang=None):
    """An EmergencyMatch when the message reports an emergency (see the module policy), else None.
    An editor's trigger always counts; the model's verdict does not on whole-message small talk."""
    result = analyse(text, lang)
    editor = max(result.editor_scores.items(), key=lambda item: item[1], default=(None, 0.0))
    if editor[1] >= THRESHOLD:
        category, score, phrases = editor[0], editor[1], result.phrases
    elif result.probability >= result.threshold and not _small_talk(text):
        category, score, phrases = result.category, round(result.probability, 3), result.evidence
    else:
        return None
    category = category if category in CATEGORIES else "danger"
    return EmergencyMatch(
        category=category,
        score=score,
        phrases=tuple(phrases),
        lang=result.lang,
        numbers=NUMBERS.get(category, DEFAULT_NUMBERS),
    )
