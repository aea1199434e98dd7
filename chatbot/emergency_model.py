"""The trained emergency model at run time: plain arrays scored with numpy (no scikit-learn, no
pickle). Written by `manage.py train_emergency_model` (chatbot/emergency_train.py).

File format (`chatbot/data/emergency_model.npz`, loaded with allow_pickle=False):
- ``features`` (str[n]): feature names (chatbot/emergency_features.py), ``idf`` (float[n]);
- ``weights`` (float[n]), ``bias`` (float[1]): the logistic regression;
- ``threshold`` (float[1]): probability at or above which a message is an emergency;
- ``category_names`` (str[k]), ``category_weights`` (float[n, k]), ``category_bias`` (float[k]):
  which reply category (which number leads) an emergency belongs to;
- ``meta``: JSON string (what it was trained on, the threshold rule).

A message's vector is the idf of each of its known features (L2-normalised when
``l2_normalised`` says so), exactly as scikit-learn's TfidfVectorizer(binary=True) builds it at
training time.
"""

import json
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from chatbot.emergency_features import features

MODEL_PATH = Path(__file__).resolve().parent / "data" / "emergency_model.npz"


@dataclass(frozen=True)
class Score:
    probability: float
    category: str | None
    evidence: tuple[str, ...]  # the features that pushed most towards "emergency"


class Model:
    def __init__(self, path=MODEL_PATH):
        with np.load(path, allow_pickle=False) as data:
            names = [str(n) for n in data["features"]]
            self.index = {name: i for i, name in enumerate(names)}
            self.names = names
            self.idf = data["idf"].astype(np.float64)
            self.weights = data["weights"].astype(np.float64)
            self.bias = float(data["bias"][0])
            self.threshold = float(data["threshold"][0])
            self.l2_normalised = bool(data["l2_normalised"][0]) if "l2_normalised" in data else True
            self.meta = json.loads(str(data["meta"]))
            if "category_names" in data:
                self.category_names = [str(n) for n in data["category_names"]]
                self.category_weights = data["category_weights"].astype(np.float64)
                self.category_bias = data["category_bias"].astype(np.float64)
            else:
                self.category_names = []

    def _vector(self, text):
        idx = np.fromiter((i for i in (self.index.get(f) for f in features(text)) if i is not None), dtype=np.intp)
        if not idx.size:
            return idx, np.zeros(0)
        values = self.idf[idx]
        if self.l2_normalised:
            values = values / np.sqrt(values @ values)
        return idx, values

    def score(self, text):
        """The probability that `text` reports an emergency, its likely category and evidence."""
        idx, values = self._vector(text)
        contributions = values * self.weights[idx]
        z = self.bias + contributions.sum()
        probability = float(1.0 / (1.0 + np.exp(-z)))
        category = None
        if self.category_names:
            logits = self.category_bias + values @ self.category_weights[idx]
            category = self.category_names[int(np.argmax(logits))]
        evidence = []
        for i in np.argsort(-contributions):
            if contributions[i] <= 0 or len(evidence) == 3:
                break
            kind, _, value = self.names[idx[i]].partition(":")
            if kind != "q" and len(value.strip()) >= 2:  # single characters explain nothing to a reader
                evidence.append(value.strip())
        return Score(probability, category, tuple(evidence))


_lock = threading.Lock()
_loaded = {}


def get(path=MODEL_PATH):
    """The model, loaded once per process (by the server's background warm-up, chatbot.engine.lookup)."""
    model = _loaded.get(path)
    if model is None:
        with _lock:
            model = _loaded.get(path)
            if model is None:
                model = _loaded[path] = Model(path)
    return model
