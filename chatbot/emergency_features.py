"""What the emergency model sees of a message: normalised text, character n-grams, words and cue
classes. Shared by the runtime scorer (chatbot/emergency_model.py) and the training command, so a
message is turned into features the same way in both.

Normalisation: NFKC (full-width letters and digits, compatibility forms), lower case, traditional
characters folded to simplified one character at a time (OpenCC's TSCharacters table, shipped by
the opencc-purepy package), spaces between Chinese characters removed, runs of spaces and of
repeated punctuation collapsed.

Features (all binary, weighted by the model's idf):
- ``c:`` character 1- to 4-grams of the normalised text (typos, dialect and words the model never
  saw whole still share most of their n-grams with ones it did);
- ``w:`` Latin-script words and word pairs (English, pinyin);
- ``q:`` cue classes: small closed word classes that say *when* and *how* something is told
  (now / just now / still, past, handled, hypothetical, procedure or law question, fiction or
  drill, joke or figure of speech, negation, the emergency numbers). They are general function
  words, not sentences; the model learns their weights, and a cue class seen in the last clause
  of the message (``q:last:``) separately, since an emergency is often told after an unrelated
  question ("请问身份证丢了怎么补办？…他现在还在门外").
"""

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

_HAN = "\u3400-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_HAN = re.compile(rf"(?<=[{_HAN}])\s+(?=[{_HAN}])")
_REPEAT = re.compile(r"([!?.。！？~～…,，])\1+")
_WORD = re.compile(r"[a-z][a-z']*|\d+")
_CLAUSE_SPLIT = re.compile(r"[。！？!?；;\n]|\.(?=\s|$)|…+|\s{2,}")


@lru_cache(maxsize=1)
def _t2s_table():
    """OpenCC's traditional → simplified character table (first candidate of each entry)."""
    import opencc_purepy

    path = Path(opencc_purepy.__file__).parent / "dicts" / "TSCharacters.txt"
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            target = parts[1].split(" ")[0]
            if len(target) == 1:
                table[ord(parts[0])] = target
    return table


def normalize(text):
    """The folded form the model reads (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text or "").lower().translate(_t2s_table())
    text = text.replace("’", "'").replace("‘", "'")
    text = re.sub(r"\s+", " ", text).strip()
    text = _SPACE_BETWEEN_HAN.sub("", text)
    return _REPEAT.sub(r"\1", text)


# Cue classes. Each is a closed class of function words and stock phrases in Chinese (Mandarin,
# Cantonese, northern colloquial) and English; the weights are learned, not set here.
CUES = {
    "now": (
        r"现在|正在|还在|又在|一直在|此刻|眼下|这会儿?|马上|立刻|赶紧|赶快|快点|快来|快过来|快救|"
        r"而家|宜家|依家|喺度|紧|"
        r"\bnow\b|\bright now\b|\bstill\b|\bcurrently\b|\bhurry\b|\bquick\b|\basap\b|\bat the moment\b|"
        r"\bis (being|happening)\b|\bare (being|happening)\b|\b\w+ing (me|us|him|her)\b"
    ),
    "just": r"刚才|刚刚|刚|方才|头先|啱啱|\bjust\b|\bmoments? ago\b|\bminutes? ago\b|\ba minute ago\b",
    "past": (
        r"去年|前年|上周|上星期|上个?月|上次|那次|昨天|昨晚|前天|前几天|以前|之前|当年|小时候|几年前|年前|月前|天前|"
        r"曾经|后来|那时|当时|"
        r"\byesterday\b|\blast (night|week|month|year|time)\b|\bago\b|\bused to\b|\bonce\b|\bback then\b|"
        r"\bwas\b|\bwere\b|\bhad\b"
    ),
    "handled": (
        r"已经(报|处理|解决|抓|送|出院|没事|好了|结束|走了|灭了|救出)|没事了|好了|处理完|结案|出院|抓到了|被抓|"
        r"立案|回执|报过警|报了警|"
        r"\balready\b|\bhandled\b|\bresolved\b|\bis fine now\b|\bwas caught\b|\barrested\b|\bfiled\b|\breported\b"
    ),
    "hypothetical": (
        r"如果|假如|假设|万一|要是|若是|倘若|的话|会不会|应该怎么|该怎么办|"
        r"\bif\b|\bwhat if\b|\bin case\b|\bsuppose\b|\bwould\b|\bshould i\b|\bwhat should\b"
    ),
    "procedure": (
        r"怎么办理|怎么补|怎么申请|怎么开|怎么查|如何|流程|手续|材料|需要带|办理|申请|证明|开具|多久|多长时间|"
        r"能不能|可不可以|可以吗|是否|请问|咨询|在哪|哪里办|网上|预约|费用|多少钱|"
        r"\bhow (do|can|long|much|to)\b|\bprocedure\b|\bapply\b|\bapplication\b|\bcertificate\b|\bform\b|"
        r"\brenew\b|\bappointment\b|\bwhere (do|can|is)\b|\bdo i need\b|\bis it (legal|normal|true)\b"
    ),
    "law": (
        r"法律|法条|刑法|判几年|判刑|量刑|罪名|构成|犯罪吗|违法吗|起诉|诉讼|赔偿|律师|法院|立案标准|区别|"
        r"\blaw\b|\blegal\b|\billegal\b|\bsue\b|\bsentence\b|\bcourt\b|\blawyer\b|\bpenalty\b|\bdifference between\b"
    ),
    "fiction": (
        r"电影|电视剧|剧里|小说|游戏|玩家|副本|歌词|这首歌|作业|作文|论文|考试|法考|演习|演练|培训|课上|剧本|梦见|做梦|"
        r"新闻里|视频里|直播|综艺|动漫|"
        r"\bmovie\b|\bfilm\b|\bshow\b|\bseries\b|\bnovel\b|\bgame\b|\bgaming\b|\bsong\b|\blyrics?\b|\bhomework\b|"
        r"\bessay\b|\bexam\b|\bdrill\b|\btraining\b|\bclass\b|\bdream\b|\bepisode\b|\bpodcast\b|\bcourse\b"
    ),
    "joke": (
        r"笑死|哈哈|开玩笑|玩笑|段子|梗|表情包|吐槽|绝了|yyds|doge|"
        r"\blol\b|\blmao\b|\bhaha\w*\b|\bjk\b|\bjoking\b|\bkidding\b|\bliterally dying\b|\bmeme\b"
    ),
    "negation": (
        r"没有人|没人|没有|没|不是|并没|无人|未|别担心|不用|"
        r"\bno one\b|\bnobody\b|\bnot\b|\bno\b|\bnever\b|\bn't\b|\bwithout\b"
    ),
    "numbers": r"110|119|120|122|12110|96110|\b911\b|\b999\b|\b112\b",
    "help": r"救命|救救|帮帮|快来人|来人啊|救名|\bhelp\b|\bsos\b|\bsomebody\b|\bplease come\b",
}
_CUES = [(name, re.compile(regex)) for name, regex in CUES.items()]
NGRAMS = (1, 2, 3, 4)


def clauses(norm):
    """The normalised message cut at sentence punctuation (at least one clause)."""
    parts = [p.strip() for p in _CLAUSE_SPLIT.split(norm) if p and p.strip()]
    return parts or [norm]


def features(text):
    """The set of feature names of one raw message (see the module docstring)."""
    norm = normalize(text)
    feats = set()
    # Question marks are left out of the n-grams: in the development set non-emergencies are more
    # often questions, a skew of its author that the README warns about, not a sign of safety.
    padded = " " + norm.replace("?", " ") + " "
    size = len(padded)
    for n in NGRAMS:
        for i in range(size - n + 1):
            gram = padded[i : i + n]
            if gram.strip():
                feats.add("c:" + gram)
    words = _WORD.findall(norm)
    for i, word in enumerate(words):
        feats.add("w:" + word)
        if i:
            feats.add(f"w:{words[i - 1]}_{word}")
    parts = clauses(norm)
    last = parts[-1]
    for name, regex in _CUES:
        if regex.search(norm):
            feats.add("q:" + name)
            if len(parts) > 1 and regex.search(last):
                feats.add("q:last:" + name)
    if len(parts) > 1:
        feats.add("q:multi")
    return feats
