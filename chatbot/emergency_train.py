"""Training and out-of-fold evaluation of the emergency model (development time only: needs
scikit-learn, which the running portal never imports).

`manage.py train_emergency_model` calls `train_and_export`; `bench/emergency.py` calls
`out_of_fold` and `cross_set` for figures on messages a model was not trained on.

The model: binary feature presence (chatbot/emergency_features.py) weighted by smoothed idf and
L2-normalised (scikit-learn's TfidfVectorizer), then a logistic regression with balanced class
weights. A second, multinomial logistic regression over the emergencies only picks the category
(which number leads the reply). Both are exported as plain arrays (`.npz`, no pickle) and scored
with numpy by chatbot/emergency_model.py.

The threshold is chosen on out-of-fold probabilities of the training data itself (5-fold,
stratified by label and language): the highest threshold at which out-of-fold recall is at least
TARGET_RECALL overall and at least TARGET_LANG_RECALL in each language, i.e. we accept false alarms
to keep misses rare (a missed emergency is worse than a false alarm).
"""

import json
import re
from pathlib import Path

import numpy as np

from chatbot.emergency_features import features

ROOT = Path(__file__).resolve().parents[1]
OURS = ROOT / "tests" / "data" / "emergency_messages.jsonl"
SHARED_COPY = ROOT / "chatbot" / "data" / "emergency-dev" / "messages.jsonl"
DEFAULT_TRAINING = (OURS, SHARED_COPY)
# Ordinary questions citizens ask the portal (our search set, the demo FAQs' questions and
# paraphrases, our out-of-scope chat set): every one is a non-emergency, except the missing-person
# topic, which the policy treats as an emergency and which is therefore left out. Without them
# the model only ever saw non-emergencies that share words with emergencies, and flagged plain
# questions ("追尾了", "Removing my FB account") it had no example of.
ORDINARY = (
    ROOT / "tests" / "data" / "search_queries.jsonl",
    ROOT / "cms" / "demo" / "faqs.jsonl",
    ROOT / "tests" / "data" / "chat_out_of_scope.jsonl",
    "engine-phrases",
    "faq-answers",
)
ORDINARY_EXCLUDED_KEYS = ("missing-person",)
ENGINE_PHRASES = "engine-phrases"  # in ORDINARY: chatbot/engine/text.py's phrases (engine_phrases())
# In ORDINARY: the sentences of the demo FAQs' answers (faq_answer_sentences()): how the portal
# itself talks about danger, procedure and the emergency numbers ("有人员伤亡……立即拨打122或110"),
# which is talk about an emergency, not a report of one.
FAQ_ANSWERS = "faq-answers"
FAQS = ROOT / "cms" / "demo" / "faqs.jsonl"
MODEL_PATH = ROOT / "chatbot" / "data" / "emergency_model.npz"

# Issue 9's targets are recall >= 0.95 overall and no language below 0.90 on messages not trained
# on; the threshold is chosen for one point (three per language) more on the inner folds, since a
# threshold chosen on some messages loses a little recall on others. Measured with the outer
# 5-fold (docs/chatbot.md): 0.97 / 0.95 gave emergency-dev 0.97 recall with 0.15 false alarms,
# 0.96 / 0.93 gives 0.96 with 0.12, 0.95 / 0.92 gives 0.956 with 0.09 (too close to the target).
TARGET_RECALL = 0.96
TARGET_LANG_RECALL = 0.93
C = 30.0
MIN_DF = 2
# L2 length normalisation (measured: without it the intercept turns positive and every short
# message is flagged).
NORM = "l2"
CUE_SCALE = 2.0
# Weight of the ordinary messages (ORDINARY) in training; 0 leaves them out. Measured
# (docs/chatbot.md): the questions alone at 0.3 cut false alarms on the police-dev search queries,
# never trained on, from 6 % to 1.5 %, but raised out-of-fold false alarms on the labelled sets at
# the same recall. With the FAQ answers' sentences added, 0.15 keeps police-dev at about 2 %,
# lowers stackfaq from 14.5 % to about 11 % and leaves the labelled sets' false alarms no worse.
ORDINARY_WEIGHT = 0.15
SEED = 20261205

# Our own set's categories and the development set's 17 topics, mapped onto the reply categories
# (chatbot.emergency.CATEGORIES; they decide which number leads).
CATEGORY_MAP = {
    "domestic_violence": "violence",
    "drowning_water": "danger",
    "fire_smoke": "fire",
    "fraud_scam": "crime",
    "gas_chemical": "fire",
    "kidnapping_detention": "kidnapping",
    "medical": "medical",
    "missing_person": "kidnapping",
    "natural_hazard": "danger",
    "robbery_burglary": "crime",
    "sexual_violence": "violence",
    "stalking_followed": "threat",
    "suicide_selfharm": "suicide",
    "threat_to_life": "threat",
    "traffic_accident": "medical",
    "trapped_rescue": "danger",
    "violence_weapons": "violence",
}
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_ACRONYM = re.compile(r"^[A-Z]{2,5}$")


def script_lang(text):
    """zh / en / mixed as the development set's README defines them (acronyms such as ATM or KTV
    do not make a Chinese message mixed)."""
    if not _HAN.search(text):
        return "en"
    words = [w for w in _LATIN_WORD.findall(text) if not _ACRONYM.match(w)]
    return "mixed" if words else "zh"


def load(path, source=None):
    """Rows {text, emergency, lang, category, source, id} from a .jsonl file or a directory holding
    messages.jsonl (the development set's layout)."""
    path = Path(path)
    if path.is_dir():
        path = path / "messages.jsonl"
    source = source or (path.parent.name if path.name == "messages.jsonl" else path.stem)
    rows = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip():
            continue
        row = json.loads(line)
        lang = row.get("lang")
        if lang not in ("zh", "en", "mixed"):
            lang = script_lang(row["text"])
        rows.append(
            {
                "id": row.get("id") or f"{source}-{i + 1}",
                "text": row["text"],
                "emergency": bool(row["emergency"]),
                "lang": lang,
                "category": row.get("category") or "",
                "reply_category": CATEGORY_MAP.get(row.get("category") or "", row.get("category") or ""),
                "source": source,
            }
        )
    return rows


_feature_cache = {}


def _features(text):
    """features() memoised: k-fold training extracts each message's features once."""
    found = _feature_cache.get(text)
    if found is None:
        found = _feature_cache[text] = sorted(features(text))
    return found


def engine_phrases():
    """The literal phrases of the chat engine's own vocabulary (greetings, thanks, help, cancel,
    yes/no, asking for a person, tracking, filing: chatbot/engine/text.py), as ordinary messages:
    what citizens type to the assistant that is not an emergency."""
    from chatbot.engine import text as T

    phrases = set()
    for name in ("GREETING", "THANKS", "GOODBYE", "HELP", "CANCEL", "HANDOVER", "TRACK", "YES", "NO", "SKIP"):
        for part in re.split(r"[|()^$?]", getattr(T, name).pattern):
            part = part.strip()
            if len(part) >= 2 and re.fullmatch(r"[\w' \u3400-\u9fff]+", part) and "\\" not in part:
                phrases.add(part)
    return sorted(phrases)


def faq_answer_sentences(path=FAQS, excluded_keys=ORDINARY_EXCLUDED_KEYS):
    """The sentences (at least 6 characters) of the demo FAQs' answers, HTML removed."""
    import html

    sentences = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        faq = json.loads(line)
        if faq.get("key", "").startswith(tuple(excluded_keys)):
            continue
        text = html.unescape(re.sub(r"<[^>]+>", " \n", faq.get("answer") or ""))
        for sentence in re.split(r"(?<=[。！？!?；;])|\n|(?<=\.)\s", text):
            sentence = sentence.strip()
            if len(sentence) >= 6:
                sentences.append(sentence)
    return sentences


def load_ordinary(paths=ORDINARY, source="ordinary", excluded_keys=ORDINARY_EXCLUDED_KEYS):
    """Rows (all non-emergencies) from files of questions (`q`/`query`, or an FAQ's `question`
    and `paraphrases`; entries whose `key` starts with one of `excluded_keys` are skipped), and
    the engine's own phrases where `paths` holds ENGINE_PHRASES."""
    entries = []
    for path in paths:
        if path == ENGINE_PHRASES:
            entries += [{"q": phrase} for phrase in engine_phrases()]
        elif path == FAQ_ANSWERS:
            entries += [{"q": sentence} for sentence in faq_answer_sentences(excluded_keys=excluded_keys)]
        else:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
            entries += [json.loads(line) for line in lines if line.strip()]
    rows = []
    for entry in entries:
        if (entry.get("key") or "").startswith(tuple(excluded_keys)):
            continue
        texts = [entry.get("q") or entry.get("query") or entry.get("question") or ""]
        texts += entry.get("paraphrases") or []
        for text in texts:
            if text.strip():
                rows.append(
                    {
                        "id": f"{source}-{len(rows) + 1}",
                        "text": text,
                        "emergency": False,
                        "lang": script_lang(text),
                        "category": "",
                        "reply_category": "",
                        "source": source,
                    }
                )
    return rows


def _vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=_features, binary=True, min_df=MIN_DF, norm=NORM, smooth_idf=True)


def _logistic(c, balanced=False):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(
        C=c, class_weight="balanced" if balanced else None, max_iter=3000, solver="saga", tol=1e-4, random_state=0
    )


def fit(rows, c=C, categories=False):
    """A fitted (vectorizer, classifier, category classifier or None) on rows; the category
    classifier only when asked (the export needs it, figures do not). Ordinary questions among
    the rows count with ORDINARY_WEIGHT (none at 0)."""
    if ORDINARY_WEIGHT == 0:
        rows = [r for r in rows if r["source"] != "ordinary"]
    vec = _vectorizer()
    vec.fit([r["text"] for r in rows])
    if CUE_SCALE != 1.0:
        # Cue and concept classes are a handful among hundreds of n-grams per message: scaled up,
        # they keep a say after the L2 normalisation (the scale lives in the exported idf).
        scale = np.array([CUE_SCALE if name[:2] in ("q:", "k:") else 1.0 for name in vec.get_feature_names_out()])
        vec.idf_ = vec.idf_ * scale
    x = vec.transform([r["text"] for r in rows])
    y = np.array([r["emergency"] for r in rows])
    weights = np.array([ORDINARY_WEIGHT if r["source"] == "ordinary" else 1.0 for r in rows])
    clf = _logistic(c, balanced=True).fit(x, y, sample_weight=weights)
    from chatbot.emergency import CATEGORIES

    cat_rows = [i for i, r in enumerate(rows) if r["emergency"] and r["reply_category"] in CATEGORIES]
    cat_clf = None
    if categories and len({rows[i]["reply_category"] for i in cat_rows}) > 1:
        cat_clf = _logistic(c).fit(x[cat_rows], [rows[i]["reply_category"] for i in cat_rows])
    return vec, clf, cat_clf


def predict(model, texts):
    vec, clf, _cat = model
    return clf.predict_proba(vec.transform(texts))[:, 1]


def _folds(rows, k, seed=SEED):
    """Stratified by label, language and source: fold index per row."""
    rng = np.random.default_rng(seed)
    groups = {}
    for i, r in enumerate(rows):
        groups.setdefault((r["emergency"], r["lang"], r["source"]), []).append(i)
    fold = np.zeros(len(rows), dtype=int)
    offset = 0
    for key in sorted(groups, key=str):
        members = groups[key]
        rng.shuffle(members)
        for j, i in enumerate(members):
            fold[i] = (offset + j) % k
        offset += len(members)
    return fold


def oof_probabilities(rows, k=5, c=C, seed=SEED):
    """Out-of-fold probabilities: each row scored by a model trained without its fold."""
    fold = _folds(rows, k, seed)
    probs = np.zeros(len(rows))
    for f in range(k):
        train = [r for r, g in zip(rows, fold, strict=True) if g != f]
        test_idx = np.flatnonzero(fold == f)
        probs[test_idx] = predict(fit(train, c), [rows[i]["text"] for i in test_idx])
    return probs


def choose_threshold(rows, probs, target=TARGET_RECALL, lang_target=TARGET_LANG_RECALL):
    """The highest threshold at which recall >= target overall and >= lang_target in every
    language (of the rows given); see the module docstring."""
    y = np.array([r["emergency"] for r in rows])
    langs = np.array([r["lang"] for r in rows])
    for t in sorted(set(np.round(probs[y], 4)), reverse=True):
        pred = probs >= t
        if pred[y].mean() < target:
            continue
        if all(pred[y & (langs == lang)].mean() >= lang_target for lang in set(langs[y])):
            return float(t)
    return float(np.round(probs[y], 4).min())


def out_of_fold(rows, k=5, c=C, seed=SEED):
    """Outer k-fold over rows; within each training part an inner k-fold chooses the threshold,
    so no figure uses a message its model or its threshold saw. Returns (probs, thresholds per row)."""
    fold = _folds(rows, k, seed)
    probs = np.zeros(len(rows))
    thresholds = np.zeros(len(rows))
    for f in range(k):
        train = [r for r, g in zip(rows, fold, strict=True) if g != f]
        test_idx = np.flatnonzero(fold == f)
        inner = oof_probabilities(train, k, c, seed + 1)
        thresholds[test_idx] = choose_threshold(train, inner)
        probs[test_idx] = predict(fit(train, c), [rows[i]["text"] for i in test_idx])
    return probs, thresholds


def cross_set(train_rows, test_rows, k=5, c=C, seed=SEED):
    """Train on one set (threshold by k-fold on it), score another. Returns (probs, threshold)."""
    threshold = choose_threshold(train_rows, oof_probabilities(train_rows, k, c, seed))
    return predict(fit(train_rows, c), [r["text"] for r in test_rows]), threshold


def export(model, threshold, path=MODEL_PATH, meta=None):
    """Write the fitted model as plain arrays (see chatbot/emergency_model.py for the format)."""
    vec, clf, cat_clf = model
    names = vec.get_feature_names_out()
    idf = vec.idf_.astype(np.float32)
    weights = clf.coef_[0].astype(np.float32)
    arrays = {
        "features": np.array(names, dtype=str),
        "idf": idf,
        "weights": weights,
        "bias": np.array([clf.intercept_[0]], dtype=np.float64),
        "threshold": np.array([threshold], dtype=np.float64),
        "l2_normalised": np.array([vec.norm == "l2"]),
        "meta": np.array(json.dumps(meta or {}, ensure_ascii=False)),
    }
    if cat_clf is not None:
        arrays["category_names"] = np.array(cat_clf.classes_, dtype=str)
        arrays["category_weights"] = cat_clf.coef_.T.astype(np.float16)
        arrays["category_bias"] = cat_clf.intercept_.astype(np.float64)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)
    return path


def training_rows(paths=DEFAULT_TRAINING, ordinary=ORDINARY):
    """The labelled messages of `paths` and the ordinary questions of `ordinary`."""
    return [row for p in paths for row in load(p)] + load_ordinary(ordinary)


def train_and_export(paths=DEFAULT_TRAINING, path=MODEL_PATH, k=5, c=C, ordinary=ORDINARY):
    """Train on every row of `paths` and the ordinary questions, choose the threshold
    out-of-fold, export. Returns a summary (false alarms out-of-fold separately for the labelled
    messages and the ordinary questions, which are easier)."""
    rows = training_rows(paths, ordinary)
    probs = oof_probabilities(rows, k, c)
    threshold = choose_threshold(rows, probs)
    labelled = np.array([r["source"] != "ordinary" for r in rows])
    model = fit(rows, c, categories=True)
    meta = {
        "trained_on": [
            str(Path(p).relative_to(ROOT)) if Path(p).is_relative_to(ROOT) else str(p) for p in (*paths, *ordinary)
        ],
        "messages": len(rows),
        "C": c,
        "min_df": MIN_DF,
        "threshold_rule": (
            f"highest with out-of-fold recall >= {TARGET_RECALL} overall and >= {TARGET_LANG_RECALL} "
            f"per language ({k}-fold)"
        ),
    }
    export(model, threshold, path, meta)
    y = np.array([r["emergency"] for r in rows])
    pred = probs >= threshold
    negatives = ~y & labelled
    return {
        "path": path,
        "messages": len(rows),
        "features": len(model[0].idf_),
        "threshold": threshold,
        "oof_recall": float(pred[y].mean()),
        "oof_false_alarms": float(pred[negatives].mean()),
        "oof_false_alarms_ordinary": float(pred[~labelled].mean()) if (~labelled).any() else 0.0,
    }
