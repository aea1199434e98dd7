"""The answer decision: answer with the top hit, offer the top three ("did you mean"), or say
"I don't know".

Raw search scores are not comparable across questions, so the decision looks at a few measures
of how well the top hit fits the question (`features`) and turns them into the probability that
the top hit is the right answer with a logistic model. The model's weights and its two
thresholds are data (`decision.json` beside this file), fitted by
`manage.py train_answer_decision` from labelled questions: the dumps of `bench/chat_answers.py
--dump`, i.e. what the real search returned for citizens' questions whose right FAQ (or none) is
known. Thresholds are chosen on out-of-fold probabilities, so that a question the model was not
fitted on is answered wrongly at most `MAX_WRONG` of the time. See docs/chatbot.md ("The answer
decision") for the figures and the commands.

- answer: probability >= `answer_at`;
- "did you mean": below that, when the top hits have anything of the question in them
  (`relevant`) and the probability is at least `clarify_at`;
- "I don't know": nothing relevant was found.
"""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_FILE = Path(__file__).with_name("decision.json")

# The measures, in the order the model's weights use (see `features`).
FEATURES = (
    "coverage",  # share of the question's content words in the top hit's question and phrasings
    "coverage_gap",  # that share minus the best other hit's
    "margin",  # 1 - best competitor's (coverage-weighted) score / top score
    "log_top",  # log(1 + top score)
    "log_ratio",  # log(top score / second score)
    "log_words",  # log(1 + number of content words in the question)
    "page",  # 1 when the top hit is a page, not an FAQ
    "unmatched",  # share of the question's content words that no hit has anywhere, weighted by rarity
    "rare_coverage",  # coverage of the top hit with each word weighted by its rarity in the content
)
MAX_WRONG = 0.03  # out-of-fold share of answerable questions answered wrongly that the thresholds allow
MAX_OUT_OF_SCOPE = 0.05  # out-of-fold share of out-of-scope questions answered directly, in every set


@dataclass(frozen=True)
class Model:
    mean: tuple
    scale: tuple
    weights: tuple
    bias: float
    answer_at: float
    clarify_at: float
    trained_on: tuple = ()

    def probability(self, values):
        z = self.bias
        for value, mean, scale, weight in zip(values, self.mean, self.scale, self.weights, strict=True):
            z += weight * (value - mean) / scale
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_dict(self):
        return {
            "features": list(FEATURES),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "weights": list(self.weights),
            "bias": self.bias,
            "answer_at": self.answer_at,
            "clarify_at": self.clarify_at,
            "trained_on": list(self.trained_on),
        }


@lru_cache(maxsize=1)
def model():
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{MODEL_FILE} was trained on other features: retrain (manage.py train_answer_decision)")
    return Model(
        mean=tuple(data["mean"]),
        scale=tuple(data["scale"]),
        weights=tuple(data["weights"]),
        bias=data["bias"],
        answer_at=data["answer_at"],
        clarify_at=data["clarify_at"],
        trained_on=tuple(data.get("trained_on", ())),
    )


def features(covers, scores, kinds, margin, n_words, unmatched, rare_coverage):
    """The measures for a ranked list of hits: `covers` their coverage of the question, `scores`
    their search scores, `kinds` "faq"/"page", `margin` as answer.confidence computes it."""
    top = scores[0]
    second = scores[1] if len(scores) > 1 else 0.0
    best_other_cover = max(covers[1:], default=0.0)
    return (
        covers[0],
        covers[0] - best_other_cover,
        margin,
        math.log1p(max(top, 0.0)),
        math.log(max(top, 1e-6) / max(second, top * 0.01, 1e-6)),
        math.log1p(n_words),
        1.0 if kinds[0] == "page" else 0.0,
        unmatched,
        rare_coverage,
    )


def probability(values):
    return model().probability(values)


def relevant(values):
    """Whether any hit has any of the question's content words in its question, phrasings or
    title: without that, nothing relevant was found, and the answer is "I don't know" rather
    than three unrelated choices."""
    if values is None:
        return False
    coverage, gap = values[0], values[1]
    return coverage > 0 or coverage - gap > 0


def answer_at():
    return model().answer_at


def clarify_at():
    return model().clarify_at


def describe():
    m = model()
    trained = ", ".join(m.trained_on) or "?"
    return (
        f"answer decision: answer at p >= {m.answer_at:.3f}, did you mean at p >= {m.clarify_at:.3f} "
        f"(fitted on {trained})"
    )


# --- fitting (manage.py train_answer_decision) -------------------------------------------------


def fit(rows, l2=1.0, iterations=50):
    """Logistic regression (Newton's method, L2 penalty) on rows of {"features", "top_right"}:
    (mean, scale, weights, bias)."""
    import numpy as np

    x = np.array([r["features"] for r in rows], dtype=float)
    y = np.array([1.0 if r["top_right"] else 0.0 for r in rows])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0  # the bias is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -30, 30)))
        gradient = z.T @ (p - y) + penalty * w
        hessian = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return tuple(mean.tolist()), tuple(scale.tolist()), tuple(w[:-1].tolist()), float(w[-1])


def out_of_fold(rows, folds=5):
    """Each row's probability from a model fitted without it: folds grouped by (set, FAQ key), so
    that no question is judged by a model that saw another phrasing of its own FAQ; the
    out-of-scope questions are spread over the folds."""
    groups = sorted({(r["set"], r["key"]) for r in rows}, key=lambda g: (g[0], str(g[1])))
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    oos = [r for r in rows if r["key"] is None]
    oos_fold = {id(r): i % folds for i, r in enumerate(oos)}
    probs = {}
    for k in range(folds):

        def in_fold(r, k=k):
            return (oos_fold[id(r)] if r["key"] is None else fold_of[(r["set"], r["key"])]) == k

        train = [r for r in rows if not in_fold(r)]
        mean, scale, weights, bias = fit(train)
        m = Model(mean, scale, weights, bias, 1.0, 1.0)
        for r in rows:
            if in_fold(r):
                probs[id(r)] = m.probability(r["features"])
    return [probs[id(r)] for r in rows]


def outcomes(rows, probs, answer_threshold, clarify_threshold):
    """Shares for thresholds: right / wrong answers among answerable questions, right answered or
    offered (in the top three), out-of-scope questions answered."""
    answerable = [(r, p) for r, p in zip(rows, probs, strict=True) if r["key"] is not None]
    oos = [p for r, p in zip(rows, probs, strict=True) if r["key"] is None]
    n = max(1, len(answerable))
    right = sum(1 for r, p in answerable if p >= answer_threshold and r["top_right"]) / n
    wrong = sum(1 for r, p in answerable if p >= answer_threshold and not r["top_right"]) / n
    reached = (
        sum(
            1
            for r, p in answerable
            if (p >= answer_threshold and r["top_right"])
            or (answer_threshold > p >= clarify_threshold and r.get("in_top3"))
        )
        / n
    )
    oos_answered = sum(1 for p in oos if p >= answer_threshold) / max(1, len(oos))
    return {"right": right, "wrong": wrong, "reached": reached, "oos_answered": oos_answered}


def choose_thresholds(rows, probs):
    """The lowest answer threshold whose out-of-fold wrong answers stay within MAX_WRONG and whose
    out-of-scope answers stay within MAX_OUT_OF_SCOPE in each set; "did you mean" from the probability below which
    almost only questions with nothing relevant (out of scope, or the right FAQ not in the top
    three) are left."""
    candidates = sorted({round(p, 3) for p in probs})
    sets = {}
    for r, p in zip(rows, probs, strict=True):
        sets.setdefault(r["set"], ([], []))
        sets[r["set"]][0].append(r)
        sets[r["set"]][1].append(p)
    answer_threshold = 1.0
    for t in candidates:
        o = outcomes(rows, probs, t, t)
        if o["wrong"] <= MAX_WRONG and all(
            outcomes(set_rows, set_probs, t, t)["oos_answered"] <= MAX_OUT_OF_SCOPE
            for set_rows, set_probs in sets.values()
        ):
            answer_threshold = t
            break
    # "I don't know" only when nothing relevant was found: keep offering choices down to the
    # probability where at most 1 % of the answerable questions with the right FAQ in the top
    # three would be cut off.
    reachable = sorted(p for r, p in zip(rows, probs, strict=True) if r["key"] is not None and r.get("in_top3"))
    cut = reachable[int(0.01 * len(reachable))] if reachable else 0.0
    clarify_threshold = min(answer_threshold, round(cut, 3))
    return answer_threshold, clarify_threshold
