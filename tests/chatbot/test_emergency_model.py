"""The emergency model on messages it was not trained on, and its export: what the portal scores
with numpy is what scikit-learn trained, and the committed model is what the command produces.

Figures on the development sets are in docs/chatbot.md (bench/emergency.py); these tests keep the
behaviour a citizen would notice: paraphrases nobody trained on are still caught."""

import numpy as np
import pytest

from chatbot import emergency, emergency_features, emergency_model, emergency_train

pytest.importorskip("sklearn")

ROWS = emergency_train.load(emergency_train.OURS) + emergency_train.load(emergency_train.SHARED_COPY)

# Written for this test, in neither labelled set: emergencies told without the obvious words, in
# both languages, and ordinary messages that use the same words (the labelling rule of
# chatbot/data/emergency-dev/README.md).
UNSEEN_EMERGENCIES = [
    "工地上脚手架塌了 下面压着两个工人 还在喊",
    "我妈在厨房突然倒下了 叫她也不答应",
    "有个男的一直跟着我从地铁站出来 我现在在便利店里不敢出去",
    "我女儿放学两个小时了还没到家 电话也打不通 她才八岁",
    "我爸喝了一整瓶农药 现在在吐",
    "店里有人拿着刀让收银员把钱拿出来",
    "he just pulled a knife on the bus driver, we're on route 12",
    "my neighbour's kitchen window is pouring black smoke and nobody answers the door",
]
UNSEEN_ORDINARY = [
    "how do I get a copy of the police report for my stolen bike",
    "上个月家里被盗 已经报案了 请问多久能有结果",
    "电影里那个绑架的情节太吓人了",
    "如果在山里迷路了应该打什么电话",
    "120和110有什么区别",
    "这个游戏里我被人砍死了三次",
    "what's the fine for running a red light",
    "去年我哥被人打伤了 现在想起诉",
    "小区消防演习什么时候结束",
    "我们老板说今天这个方案不过就弄死我们哈哈",
    "my phone died and I'm stuck in traffic lol",
    "我被这道数学题困住了",  # figures of speech: the shipped model flags this one today
]


@pytest.fixture(autouse=True)
def no_editor_patterns(db):
    emergency.invalidate()
    yield
    emergency.invalidate()


def test_messages_nobody_trained_on():
    """Every unseen emergency is flagged; at most one unseen ordinary message raises a false alarm."""
    missed = [text for text in UNSEEN_EMERGENCIES if emergency.detect(text) is None]
    alarms = [text for text in UNSEEN_ORDINARY if emergency.detect(text) is not None]
    assert missed == []
    assert len(alarms) <= 1, alarms


def test_a_model_trained_without_a_fold_still_catches_its_emergencies():
    """Trained on four fifths of the labelled messages, with the threshold chosen out-of-fold on
    them, the model finds at least 90 % of the emergencies of the fifth it never saw, with at most
    20 % false alarms."""
    fold = emergency_train._folds(ROWS, 5)
    train = [r for r, f in zip(ROWS, fold, strict=True) if f != 0]
    test = [r for r, f in zip(ROWS, fold, strict=True) if f == 0]
    probs, threshold = emergency_train.cross_set(train, test)
    y = np.array([r["emergency"] for r in test])
    flagged = probs >= threshold
    assert flagged[y].mean() >= 0.90
    assert flagged[~y].mean() <= 0.20


def test_a_paraphrase_of_a_held_out_message_is_still_flagged():
    """With every message about a child choking on jelly removed from training, the model still
    flags one (it learned choking, a child and "can't breathe" from other messages)."""
    train = [r for r in ROWS if "果冻" not in r["text"] and "jelly" not in r["text"].lower()]
    assert len(train) < len(ROWS)
    model = emergency_train.fit(train)
    probs = emergency_train.predict(
        model, ["孩子吃果冻噎住了 喘不过气 脸发紫", "孩子吃果冻噎住了 现在已经吐出来没事了"]
    )
    threshold = emergency_train.choose_threshold(train, emergency_train.oof_probabilities(train))
    assert probs[0] >= threshold
    assert probs[1] < probs[0]


def test_the_numpy_scorer_matches_scikit_learn(tmp_path):
    """The exported arrays, scored with numpy at run time, give scikit-learn's probabilities."""
    rows = ROWS[::3]
    model = emergency_train.fit(rows, categories=True)
    path = emergency_train.export(model, 0.5, tmp_path / "m.npz")
    runtime = emergency_model.Model(path)
    texts = [r["text"] for r in ROWS[1::7]]
    expected = emergency_train.predict(model, texts)
    got = np.array([runtime.score(t).probability for t in texts])
    assert np.allclose(got, expected, atol=1e-4)
    categories = model[2].predict(model[0].transform(texts))
    assert [runtime.score(t).category for t in texts] == list(categories)


def test_the_committed_model_is_what_the_command_produces(tmp_path):
    """`manage.py train_emergency_model` on the repository's labelled messages reproduces the
    committed model (same features, weights and threshold): it is not stale and not hand-edited."""
    path = tmp_path / "model.npz"
    emergency_train.train_and_export(path=path)
    with np.load(path, allow_pickle=False) as new, np.load(emergency_model.MODEL_PATH, allow_pickle=False) as shipped:
        assert list(new["features"]) == list(shipped["features"])
        assert np.allclose(new["weights"], shipped["weights"], atol=1e-5)
        assert np.allclose(new["threshold"], shipped["threshold"])


def test_the_model_file_is_small_and_needs_no_pickle():
    assert emergency_model.MODEL_PATH.stat().st_size < 1_000_000
    with np.load(emergency_model.MODEL_PATH, allow_pickle=False) as data:
        assert {"features", "idf", "weights", "bias", "threshold"} <= set(data.files)


def _classes(text):
    return {f for f in emergency_features.features(text) if f[:2] in ("q:", "k:") and "&" not in f}


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("ta xian zai zai za men", {"q:now", "k:intrusion"}),  # 现在, 砸门: typed in pinyin
        ("mei qi xie lou le wo ma hun dao le", {"k:fire", "k:injury"}),  # 煤气, 泄漏, 晕倒
        ("我想紫砂", {"k:suicide"}),  # the homophone of 自杀 is in the class itself
        ("我的好友自沙了", {"k:suicide"}),  # a homophone typo nobody listed: zi sha
    ],
)
def test_cue_and_concept_classes_light_through_pinyin(typed, expected):
    """A class's Chinese words typed in pinyin, or with a homophone typo, light the class as the
    characters would (single characters do not: one syllable stands for too many)."""
    assert expected <= _classes(typed)


def test_a_time_word_in_the_last_clause_after_a_comma_is_seen_as_the_last():
    """ "之前报过警，现在他又在砸门": the clause after the comma says now; the model sees the cue in the
    last clause separately from the past one before it (a past-time word does not cancel a present
    sign)."""
    found = _classes("之前报过警，现在他又在砸门")
    assert {"q:past", "q:handled", "q:now"} <= found
    assert "q:last:now" in emergency_features.features("之前报过警，现在他又在砸门")
    assert "q:last:past" not in emergency_features.features("之前报过警，现在他又在砸门")


def test_about_to_is_a_sign_of_immediacy():
    """A transfer about to be made is an emergency: "准备转" and "about to" are a cue class of their own."""
    assert "q:soon" in _classes("第四单要先垫两万 我正准备转")
    assert "q:soon" in _classes("I'm at the bank about to transfer the money")
