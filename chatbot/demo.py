"""Demo data for the chatbot, called by `manage.py seed_demo` (idempotent).

The built-in emergency phrases ship in code (chatbot/emergency.py) and work without any data;
this adds a starter set of editor-maintained patterns that shows editors how to extend them:
local colloquial phrasings as triggers, and figures of speech as exclusions.
"""

from .engine_models import EmergencyPattern

STARTER_PATTERNS = [
    # pattern, is_regex, language, kind, category, weight, note
    ("出人命了", False, "zh-hans", "trigger", "danger", 1.0, "口语：有生命危险"),
    ("救人啊", False, "zh-hans", "trigger", "danger", 1.0, "口语呼救"),
    ("家里进贼了", False, "zh-hans", "trigger", "crime", 1.0, "入室盗窃正在发生"),
    ("有人翻墙进来", False, "zh-hans", "trigger", "crime", 1.0, "有人闯入"),
    ("有人闹事", False, "zh-hans", "trigger", "violence", 0.6, "需要“现在”等迹象才报警"),
    (r"\bintruder alert\b", True, "en", "trigger", "crime", 1.0, "Alarm wording people repeat"),
    ("火烧眉毛", False, "zh-hans", "exclusion", "fire", 1.0, "成语：形容事情紧急，不是火情"),
    ("打死也不", False, "zh-hans", "exclusion", "violence", 1.0, "口语：坚决不做某事"),
    ("砍价", False, "zh-hans", "exclusion", "violence", 1.0, "讨价还价"),
    ("killer deal", False, "en", "exclusion", "violence", 1.0, "Advertising, not a threat"),
    ("dead tired", False, "en", "exclusion", "medical", 1.0, "Figure of speech"),
]


def seed(stdout=None):
    """Create the starter emergency patterns; a second run changes nothing."""
    created = 0
    for pattern, is_regex, language, kind, category, weight, note in STARTER_PATTERNS:
        _obj, was_created = EmergencyPattern.objects.get_or_create(
            pattern=pattern,
            language=language,
            kind=kind,
            defaults={"is_regex": is_regex, "category": category, "weight": weight, "note": note},
        )
        created += was_created
    if stdout is not None:
        stdout.write(f"chatbot: {created} emergency patterns created ({len(STARTER_PATTERNS)} in the starter set)\n")
    return created
