"""What the emergency model sees of a message: normalised text, character n-grams, words and cue
classes. Shared by the runtime scorer (chatbot/emergency_model.py) and the training command, so a
message is turned into features the same way in both.

Normalisation: NFKC (full-width letters and digits, compatibility forms) and traditional
characters folded to simplified with OpenCC's t2s conversion, both by the search's own folding
(cms.search.analysis.fold, the `opencc` package), so a message and the index agree on what a
character is; then lower case, spaces between Chinese characters removed, runs of spaces and of
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
  question ("请问身份证丢了怎么补办？…他现在还在门外"); clauses end at sentence punctuation and
  at commas ("之前报过警，现在他又在砸门": the last clause says now). "soon" (准备, 正要, about to)
  is immediacy too: a transfer about to be made is an emergency.
- The Chinese words (two characters or more) of every cue and concept class are also matched on
  the message read in pinyin (``pinyin_tokens``), so a class lights for the same words typed in
  pinyin ("xian zai", "mei qi xie lou") or with a homophone typo (自沙 for 自杀).
"""

import re
import unicodedata
from functools import cache, lru_cache

from cms.search.analysis import fold

_HAN = "\u3400-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_HAN = re.compile(rf"(?<=[{_HAN}])\s+(?=[{_HAN}])")
_REPEAT = re.compile(r"([!?.。！？~～…,，])\1+")
_WORD = re.compile(r"[a-z][a-z']*|\d+")
_CLAUSE_SPLIT = re.compile(r"[。！？!?；;\n，,]|\.(?=\s|$)|…+|\s{2,}")


@lru_cache(maxsize=1)
def _pinyin_table():
    """Han character → toneless pinyin of its first reading (pypinyin's character dictionary)."""
    from pypinyin.pinyin_dict import pinyin_dict

    table = {}
    for code, readings in pinyin_dict.items():
        first = readings.split(",")[0]
        plain = "".join(ch for ch in unicodedata.normalize("NFD", first) if not unicodedata.combining(ch))
        table[chr(code)] = plain.replace("ü", "v")
    return table


_PINYIN_TOKEN = re.compile(rf"[{_HAN}]|[a-z]+")


def pinyin_tokens(norm):
    """The message as syllables: each Han character read in pinyin, Latin words as they are, so a
    message typed in pinyin ("you ren na dao") shares features with the same words in characters."""
    table = _pinyin_table()
    return [table.get(tok, tok) for tok in _PINYIN_TOKEN.findall(norm)]


def normalize(text):
    """The folded form the model reads (see the module docstring)."""
    text = fold(text or "").lower()
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
    "soon": (
        r"准备|打算|正要|正准备|马上要|就要|快要|即将|要去|等会|待会|一会儿|今晚|今天晚上|"
        r"\babout to\b|\bgoing to\b|\bgonna\b|\btonight\b|\bin a (minute|moment|few minutes)\b|\bon my way\b"
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
# What a message is about: closed classes of danger words (and who is at risk, where). A word or
# synonym the training messages never used still lights its class; the model learns each class's
# weight, alone and together with the cue classes above ("k:weapon&now" against "k:weapon&fiction").
CONCEPTS = {
    "weapon": (
        r"刀|枪|斧|棍|棒|匕首|凶器|硫酸|砖头|锤子|"
        r"\b(knife|knives|gun|guns|pistol|rifle|machete|axe|weapon|blade|bat|hammer|acid)\b"
    ),
    "injury": (
        r"血|受伤|伤口|骨折|昏迷|晕倒|晕过去|不省人事|抽搐|没呼吸|没气|没反应|喘不上气|喘不过气|呼吸困难|心脏|胸口|中风|"
        r"口吐白沫|叫不醒|倒地|摔倒|动不了|"
        r"\b(bleed\w*|blood|unconscious|not breathing|collapsed|seizure|injured|hurt|choking|passed out|wound\w*|"
        r"chest pain|stroke|can't breathe|cannot breathe|not moving|fell)\b"
    ),
    "fire": (
        r"火|烟|烧|爆炸|炸|煤气|燃气|天然气|一氧化碳|液化气|泄漏|毒气|化学|"
        r"\b(fire|smoke|smoking|burning|burnt|flames?|explo\w*|gas|carbon monoxide|leak\w*|chemical|fumes)\b"
    ),
    "water": (
        r"水|河|湖|江|海|溺|淹|沉|冲走|冰面|冰窟|"
        r"\b(drown\w*|river|lake|sea|water|sinking|swept|ice|pool|flood\w*)\b"
    ),
    "trapped": (
        r"困|卡住|卡在|出不来|出不去|锁在|关在|电梯|塌|埋|迷路|下不来|"
        r"\b(trapped|stuck|locked (in|inside)|buried|lost|can't get out|cannot get out|pinned)\b"
    ),
    "violence": (
        r"打|砍|捅|揍|踢|掐|杀|家暴|抢|强奸|性侵|猥亵|摸|扇|砸|推|"
        r"\b(hit\w*|beat\w*|stab\w*|punch\w*|kick\w*|attack\w*|rap(e|ed|ing)|grab\w*|chok\w*|strangl\w*|"
        r"fight\w*|assault\w*|shoot\w*|shot|touch\w*|groped?|smash\w*)\b"
    ),
    "threat": (
        r"跟踪|跟着|尾随|盯着|盯上|威胁|勒索|要杀|弄死|炸弹|恐吓|堵|"
        r"\b(follow\w*|stalk\w*|watching|threat\w*|kill (you|me|him|her|us)|bomb|ransom|extort\w*)\b"
    ),
    "missing": (
        r"绑架|拐|不见了|找不到|走丢|走失|失踪|没回来|联系不上|抱走|拖上车|"
        r"\b(kidnap\w*|abduct\w*|missing|can't find|cannot find|disappeared|taken|dragged)\b"
    ),
    "suicide": (
        r"自杀|紫砂|跳楼|跳河|轻生|不想活|活不下去|割腕|安眠药|烧炭|遗书|寻死|结束生命|楼顶|天台|"
        r"\b(suicid\w*|kill (myself|himself|herself)|end (it|my life)|overdos\w*|pills|jump\w*|"
        r"cut (myself|herself|himself)|rooftop|ledge)\b"
    ),
    "fraud": (
        r"转账|汇款|打钱|验证码|安全账户|银行卡|公检法|刷单|"
        r"\b(transfer\w*|wire|verification code|safe account|bank card|scam\w*|send (the )?money)\b"
    ),
    "nature": (
        r"洪水|泥石流|滑坡|地震|塌方|台风|龙卷风|山洪|暴雨|雷|"
        r"\b(flood\w*|landslide|mudslide|earthquake|storm|tornado|typhoon|lightning)\b"
    ),
    "intrusion": (
        r"撬|闯|进贼|小偷|翻窗|翻墙|砸门|踹门|敲门|"
        r"\b(break(ing)? in|broke in|burglar\w*|intruder|thief|robb\w*|pound\w* on|kicking the door)\b"
    ),
    "vulnerable": (
        r"孩子|小孩|老人|宝宝|婴儿|女儿|儿子|孕妇|老太太|老大爷|痴呆|"
        r"\b(child|children|kid|kids|baby|daughter|son|elderly|grandma|grandpa|pregnant|dementia|toddler)\b"
    ),
    "place_near": r"门口|门外|楼下|窗外|路边|隔壁|楼道|车里|\b(outside|door|downstairs|next door|hallway|in the car)\b",
}
_CUES = [(name, re.compile(regex)) for name, regex in CUES.items()]
_CONCEPTS = [(name, re.compile(regex)) for name, regex in CONCEPTS.items()]
_HAN_WORD = re.compile(rf"^[{_HAN}]{{2,}}$")


@cache
def _syllable_regex(regex):
    """The Chinese words (two characters or more) of a class's regular expression, read in pinyin,
    as one regular expression over a message's syllables: a class's word typed in pinyin ("xian
    zai") or with a homophone typo (紫砂 for 自杀) lights the class as the characters would. Single
    characters are left out: one syllable stands for too many characters."""
    words = sorted({w for w in regex.split("|") if _HAN_WORD.match(w)})
    if not words:
        return None
    spelled = {" ".join(pinyin_tokens(w)) for w in words}
    return re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(s) for s in sorted(spelled)) + r")(?![a-z])")


def _matches(name_regex, raw, norm, syllables):
    """True when a class matches the message's text or, through its pinyin words, its syllables."""
    if name_regex.search(norm):
        return True
    if not PINYIN_CLASSES:
        return False
    spelled = _syllable_regex(raw)
    return bool(spelled and spelled.search(syllables))


INTERACTIONS = True
CONCEPT_FEATURES = True
PINYIN = True
PINYIN_CLASSES = True
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
    if PINYIN:
        syllables = pinyin_tokens(norm)
        for i, syl in enumerate(syllables):
            if i:
                feats.add(f"p:{syllables[i - 1]}_{syl}")
    parts = clauses(norm)
    last = parts[-1]
    spelled = " ".join(pinyin_tokens(norm)) if PINYIN_CLASSES else ""
    for name, regex in _CUES:
        if _matches(regex, CUES[name], norm, spelled):
            feats.add("q:" + name)
            if len(parts) > 1 and regex.search(last):
                feats.add("q:last:" + name)
    if len(parts) > 1:
        feats.add("q:multi")
    if CONCEPT_FEATURES:
        cues = [f[2:] for f in feats if f.startswith("q:") and ":" not in f[2:]]
        for name, regex in _CONCEPTS:
            if _matches(regex, CONCEPTS[name], norm, spelled):
                feats.add("k:" + name)
                if INTERACTIONS:
                    for cue in cues:
                        feats.add(f"k:{name}&{cue}")
    return feats
