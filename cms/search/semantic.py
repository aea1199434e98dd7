"""Meaning as well as words: a small sentence-embedding model re-ranks search's candidates
(docs/search.md, "Meaning: a static embedding model").

Words alone miss a citizen who says it differently ("how do I get rid of my account" for "How do
I delete my Facebook account?"). The model is WordLlama's `l2_supercat_256`: one 256-number
vector per token of Llama 2's vocabulary (32,000 tokens, Chinese included), trained so that the
average of a sentence's token vectors lands near its paraphrases'. It ships inside the
`wordllama` package (16 MB), is read with `tokenizers` and `safetensors` (nothing is downloaded,
no GPU, no neural network at query time: a look-up and an average), and its vectors for a
document are computed when the document is indexed and stored with it (the `sem` field).

At query time the first stage (words, BM25F, coverage) picks and orders the candidates as before;
each candidate's score becomes `score / best score + WEIGHT × similarity`, the similarity being
the best cosine between the question and the document's question side (question, phrasings; a
page's title and description) or its body. Only the candidates words found are re-ordered: a
question that shares nothing with any document still finds nothing.

`SEARCH_SEMANTIC` (default on) switches it off; `left_out()` switches it off for one block of code.
"""

import contextlib
import contextvars
import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy as np
from django.conf import settings

from . import scoring, thesaurus

MODEL_PACKAGE = "wordllama"
MODEL_WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
MODEL_TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
DIM = 256
# Chosen on police-dev English (3 and 5 tied there at top-1 0.901); held out, stackfaq top-1 went
# from 0.733 to 0.800 and MRR from 0.807 to 0.866 (docs/search.md).
WEIGHT = 3.0
MAX_TEXT_CHARS = 500  # of a document's body: its opening says what it is about (as measured)
MAX_QUESTION_SIDE = 12  # phrasings per document that get a vector

_off = contextvars.ContextVar("search_semantic_off", default=False)


@contextlib.contextmanager
def left_out():
    """Searches inside this block are ranked by words alone."""
    token = _off.set(True)
    try:
        yield
    finally:
        _off.reset(token)


def enabled():
    return getattr(settings, "SEARCH_SEMANTIC", True) and not _off.get()


def _package_dir():
    spec = importlib.util.find_spec(MODEL_PACKAGE)  # its data only: importing it configures logging
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {MODEL_PACKAGE} package (the search's embedding model) is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


class Model:
    """Token vectors and the tokenizer that maps text to tokens."""

    def __init__(self, directory):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.vectors = np.ascontiguousarray(load_file(str(directory / MODEL_WEIGHTS))["embedding.weight"], np.float32)
        self.tokenizer = Tokenizer.from_file(str(directory / MODEL_TOKENIZER))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()

    def embed(self, texts):
        """Unit vectors, one row per text (a text without tokens gets zeros)."""
        out = np.zeros((len(texts), self.vectors.shape[1]), dtype=np.float32)
        for row, text in enumerate(texts):
            # One at a time: encode_batch would start the tokenizer's thread pool in every server
            # process, for texts of a few words.
            encoding = self.tokenizer.encode(text, add_special_tokens=False)
            ids = np.clip(np.asarray(encoding.ids, dtype=np.int64), 0, len(self.vectors) - 1)
            if not len(ids):
                continue
            mean = self.vectors[ids].mean(axis=0)
            norm = float(np.linalg.norm(mean))
            if norm > 0:
                out[row] = mean / norm
        return out


def model():
    """The model, read once per process (about 0.3 s and 35 MB), by one thread."""
    return thesaurus.loaded("embedding model", lambda: Model(_package_dir()))


def fused(score, top, similarity):
    """A candidate's score with meaning added: its word score relative to the best one's, plus
    WEIGHT × its similarity to the question (also the chat decision's `meaning_lead`)."""
    return score / top + WEIGHT * similarity


def embed(texts):
    return model().embed(texts)


@lru_cache(maxsize=20_000)
def _embed_one(text):
    vector = model().embed([text])[0]
    vector.setflags(write=False)
    return vector


def embed_kept(texts):
    """`embed`, each text's vector kept per process (20,000 texts, about 20 MB): for texts that
    recur, such as the published questions and phrasings the chat compares a question with."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.stack([_embed_one(text) for text in texts])


def document_vectors(question_side, body):
    """The stored form of a document's vectors: float16 rows, the body's first, then each
    phrasing of its question side."""
    texts = [(body or "")[:MAX_TEXT_CHARS], *[t for t in question_side if t][:MAX_QUESTION_SIDE]]
    return embed(texts).astype(np.float16).tobytes()


def _rows(stored_fields):
    stored = stored_fields.get("sem")
    if not stored:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.frombuffer(stored, dtype=np.float16).reshape(-1, DIM).astype(np.float32)


def rerank(searcher, ranked, text):
    """`ranked` [(docnum, score)] best first, re-scored with the question's similarity to each
    document and re-sorted. Unchanged when switched off or when there is nothing to re-rank."""
    if not ranked or not text or not enabled():
        return ranked
    top = ranked[0][1]
    if top <= 0:
        return ranked
    query_vector = embed([text])[0]
    if not query_vector.any():
        return ranked
    scorer = scoring.scorer_for(searcher)
    rows = [scoring.document_value(scorer, docnum, "sem", _rows) for docnum, _score in ranked]
    best = np.zeros(len(ranked), dtype=np.float32)
    sizes = np.array([len(r) for r in rows])
    if sizes.any():
        cosines = np.concatenate([r for r in rows if len(r)]) @ query_vector
        starts = np.concatenate([[0], np.cumsum(sizes[sizes > 0])[:-1]])
        best[sizes > 0] = np.maximum.reduceat(cosines, starts)
    rescored = [
        (fused(score, top, float(similar)), -position, docnum)
        for position, ((docnum, score), similar) in enumerate(zip(ranked, best, strict=True))
    ]
    rescored.sort(reverse=True)
    return [(docnum, value) for value, _position, docnum in rescored]
