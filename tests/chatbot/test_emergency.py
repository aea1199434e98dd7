"""Emergency detection (chatbot.emergency) over the labelled set, normalisation, and the
editor-maintained patterns."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from chatbot import emergency
from chatbot.models import EmergencyPattern
from portal import versioned_cache

DATA = Path(__file__).resolve().parents[1] / "data" / "emergency_messages.jsonl"
LABELLED = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(autouse=True)
def fresh_patterns(db):
    emergency.invalidate()
    yield
    emergency.invalidate()


def test_labelled_set_is_balanced_and_bilingual():
    """The labelled set has at least 60 messages, about half emergencies, in both languages."""
    assert len(LABELLED) >= 60
    emergencies = [row for row in LABELLED if row["emergency"]]
    assert 0.4 <= len(emergencies) / len(LABELLED) <= 0.6
    for lang in ("zh-hans", "en"):
        assert sum(1 for row in LABELLED if row["lang"] == lang and row["emergency"]) >= 20
        assert sum(1 for row in LABELLED if row["lang"] == lang and not row["emergency"]) >= 20


def test_no_missed_emergency_and_at_most_one_false_alarm():
    """Every emergency in the labelled set is detected; at most one ordinary question is flagged."""
    missed = [row["text"] for row in LABELLED if row["emergency"] and emergency.detect(row["text"]) is None]
    false_alarms = [row["text"] for row in LABELLED if not row["emergency"] and emergency.detect(row["text"])]
    assert missed == []
    assert len(false_alarms) <= 1, false_alarms


@pytest.mark.parametrize(
    "text",
    [
        "救命",
        "有人拿刀",
        "我被跟踪了",
        "着火了",
        "老人晕倒了",
        "有人要跳楼",
        "someone is breaking into my house",
        "help he's got a knife",
        "my dad collapsed",
        "i'm being followed",
    ],
)
def test_issue_examples_are_emergencies(text):
    """The examples named in the issue are detected."""
    assert emergency.detect(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "火车票丢了",
        "how do I renew my passport",
        "怎么举报火灾隐患",
        "fire safety inspection for my shop",
        "被诈骗了怎么报案",
    ],
)
def test_issue_counter_examples_are_not(text):
    """Ordinary questions sharing words with emergencies, and a past crime, are not emergencies."""
    assert emergency.detect(text) is None


@pytest.mark.parametrize(
    ("text", "category", "first_number"),
    [("着火了", "fire", "119"), ("my dad collapsed", "medical", "120"), ("有人拿刀", "violence", "110")],
)
def test_category_decides_which_number_leads(text, category, first_number):
    """Fire leads with 119, a medical emergency with 120, violence with 110; all three are listed."""
    match = emergency.detect(text)
    assert match.category == category
    assert match.numbers[0] == first_number
    assert set(match.numbers) == {"110", "119", "120"}


@pytest.mark.parametrize(
    "text",
    ["有 人 拿 刀", "有個人拿刀", "ＨＥＬＰ", "有人拿刀！！！", "Help He's Got A Knife", "somone is folowing me"],
)
def test_spacing_width_case_traditional_and_typos_are_normalised(text):
    """Spaces between Chinese characters, full-width letters, traditional characters, capitals and
    one-letter typos do not hide an emergency."""
    assert emergency.detect(text) is not None


def test_guards_lower_the_score_of_procedure_questions_and_past_events():
    """The same danger words in a hypothetical or about a past event do not fire, but a sign of
    now brings the danger back ("之前报过警，现在他又在砸门")."""
    assert emergency.detect("如果家里着火了应该怎么逃生") is None
    assert emergency.detect("去年被人打伤了，还能起诉吗") is None
    assert emergency.detect("之前报过警，现在他又在砸我家门") is not None


def test_built_in_patterns_work_without_any_editor_patterns():
    """With no rows in the patterns table the shipped model still detects emergencies."""
    assert EmergencyPattern.objects.count() == 0
    assert emergency.detect("着火了") is not None


def test_an_editor_added_trigger_takes_effect_on_the_next_message():
    """A phrase an editor adds in the admin is detected right after it is saved (a local code word
    the model cannot know)."""
    text = "这里红色警报"
    assert emergency.detect(text) is None
    EmergencyPattern.objects.create(pattern="红色警报", category="fire", kind="trigger")
    match = emergency.detect(text)
    assert match is not None and match.category == "fire"


def test_an_editor_exclusion_silences_an_editor_trigger_on_the_phrase_it_covers():
    """An exclusion blanks the phrase it covers, so a trigger inside it no longer fires; the
    trigger still fires elsewhere."""
    EmergencyPattern.objects.create(pattern="红色警报", category="fire", kind="trigger")
    EmergencyPattern.objects.create(pattern="红色警报解除", kind="exclusion")
    assert emergency.detect("这里红色警报解除") is None
    assert emergency.detect("这里红色警报") is not None


def test_an_editor_exclusion_also_silences_the_model():
    """The model takes "加班到吐血" (a figure of speech: overworked) for an emergency; an editor's
    exclusion of the phrase stops that false alarm, and a real emergency still gets through."""
    text = "今天加班到吐血"
    assert emergency.detect(text) is not None  # the model's false alarm this test is about
    EmergencyPattern.objects.create(pattern="加班到吐血", kind="exclusion")
    assert emergency.detect(text) is None
    assert emergency.detect("我爸喝了一整瓶农药 现在在吐") is not None


def test_deactivating_or_deleting_an_editor_pattern_takes_effect():
    """Unticking 'active' or deleting a pattern stops it at once."""
    pattern = EmergencyPattern.objects.create(pattern="危化品泄漏", category="fire")
    assert emergency.detect("危化品泄漏") is not None
    pattern.active = False
    pattern.save()
    assert emergency.detect("危化品泄漏") is None
    pattern.active = True
    pattern.save()
    assert emergency.detect("危化品泄漏") is not None
    pattern.delete()
    assert emergency.detect("危化品泄漏") is None


def test_editor_regex_and_language_limit():
    """A regular expression pattern works; a pattern limited to English does not fire on Chinese."""
    EmergencyPattern.objects.create(pattern=r"\bcode red\b", is_regex=True, language="en", category="danger")
    EmergencyPattern.objects.create(pattern="红色警报", language="en", category="danger")
    assert emergency.detect("we have a CODE RED here") is not None
    assert emergency.detect("这里红色警报") is None


def test_a_weak_editor_pattern_needs_a_second_sign():
    """A weight below 1 fires only with another sign such as "now"."""
    EmergencyPattern.objects.create(pattern="不对劲", category="danger", weight=0.5)
    assert emergency.detect("感觉不对劲") is None
    assert emergency.detect("现在门口不对劲") is not None


def test_an_invalid_regular_expression_is_refused_in_the_admin():
    """The form validation rejects a broken regular expression and an out-of-range weight."""
    with pytest.raises(ValidationError):
        EmergencyPattern(pattern="(unclosed", is_regex=True).full_clean()
    with pytest.raises(ValidationError):
        EmergencyPattern(pattern="x", weight=10).full_clean()


def test_a_broken_regex_saved_anyway_is_skipped_not_fatal():
    """A broken pattern that reached the database (e.g. by a data import) is skipped with a warning."""
    EmergencyPattern.objects.create(pattern="(unclosed", is_regex=True)
    assert emergency.detect("着火了") is not None


def test_other_processes_reload_after_an_edit_through_the_shared_version(django_capture_on_commit_callbacks):
    """Saving moves the shared version of the pattern set when the transaction commits, so a
    process holding an older compiled set reloads it (tests/portal/test_versioned_cache.py shows
    it between two processes)."""
    emergency.detect("hello")
    before = versioned_cache.version(emergency.PATTERNS_CACHE)[0]
    with django_capture_on_commit_callbacks(execute=True):
        EmergencyPattern.objects.create(pattern="危化品泄漏", category="fire")
    assert versioned_cache.version(emergency.PATTERNS_CACHE)[0] != before
    assert emergency.detect("危化品泄漏") is not None


def test_demo_starter_patterns_are_idempotent_and_keep_the_figures():
    """seed() adds the starter patterns once; with them the labelled set still has no miss and at
    most one false alarm, and a starter trigger and exclusion work."""
    from chatbot import demo

    assert demo.seed() == len(demo.STARTER_PATTERNS)
    assert demo.seed() == 0
    assert emergency.detect("快来，出人命了") is not None
    assert emergency.detect("这事火烧眉毛了，护照什么时候能办好") is None
    missed = [row["text"] for row in LABELLED if row["emergency"] and emergency.detect(row["text"]) is None]
    false_alarms = [row["text"] for row in LABELLED if not row["emergency"] and emergency.detect(row["text"])]
    assert missed == [] and len(false_alarms) <= 1


def test_editors_maintain_patterns_in_the_admin(client, django_user_model):
    """The patterns are a snippet in the Wagtail admin: the list loads, and a pattern added through
    the admin form is used by the detector at once."""
    admin = django_user_model.objects.create_superuser("admin", "admin@example.com", "x")
    client.force_login(admin)
    listing = client.get("/admin/snippets/chatbot/emergencypattern/")
    assert listing.status_code == 200
    response = client.post(
        "/admin/snippets/chatbot/emergencypattern/add/",
        {
            "pattern": "危化品泄漏",
            "kind": "trigger",
            "category": "fire",
            "language": "any",
            "weight": "1.0",
            "active": "on",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert EmergencyPattern.objects.filter(pattern="危化品泄漏").exists()
    assert emergency.detect("仓库里危化品泄漏了").category == "fire"


@pytest.mark.parametrize("text", ["Hello", "hello", "你好", "thanks a lot", "再见", "bye", "ok", "没事了", "cancel"])
def test_small_talk_is_not_an_emergency(text):
    """A whole-message greeting, thanks or goodbye is never an emergency ("hello" shares most of
    its letters with "help", and the model reads little else in so short a message)."""
    assert emergency.detect(text) is None


def test_an_editor_trigger_still_counts_in_small_talk():
    EmergencyPattern.objects.create(pattern="再见", category="danger", kind="trigger")
    assert emergency.detect("再见") is not None
