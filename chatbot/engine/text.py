"""Reading a citizen's message: its language, small-talk and command intents, references, codes,
choices typed as numbers or words."""

import functools
import re
import unicodedata

HAN = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
REFERENCE = re.compile(r"\bYG\s*[-_ ]?\s*(\d{4})\s*[-_ ]?\s*(\d{6,})\b", re.IGNORECASE)
ACCESS_CODE = re.compile(r"\b([A-HJ-NP-Z2-9]{5})-?([A-HJ-NP-Z2-9]{5})\b", re.IGNORECASE)
PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


# One message is normalized a dozen times in a turn (each small-talk and command pattern is
# matched against it, and the offered choices' labels when a button is named): the last few texts
# are kept (pure functions of the text). Small on purpose: it saves the repeats within a turn,
# not a store of what citizens wrote.
@functools.lru_cache(maxsize=8)
def normalize(text):
    """NFKC (full-width → half-width), lower case, single spaces."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip().lower()


def detect_language(text, page_lang="zh-hans"):
    """zh-hans when the message has Chinese characters, en when it has Latin letters (and no
    Chinese), otherwise the page language (digits, emoji, a reference number)."""
    if HAN.search(text or ""):
        return "zh-hans"
    if LATIN.search(text or ""):
        # A reference or access code alone is not English.
        rest = ACCESS_CODE.sub(" ", REFERENCE.sub(" ", text))
        if LATIN.search(rest):
            return "en"
    return page_lang if page_lang in ("zh-hans", "en") else "zh-hans"


@functools.lru_cache(maxsize=8)
def bare(text):
    """Letters and digits only (for whole-message matches)."""
    return PUNCT.sub(" ", normalize(text)).strip()


# Whole-message small talk: the message is (almost) only this phrase. "你好，身份证怎么补办" is a
# question with a greeting in front, answered as a question.
GREETING = re.compile(
    r"^(你好|您好|你好啊|哈喽|嗨|在吗|在不在|有人吗|早上好|上午好|中午好|下午好|晚上好|hi|hello|hey|hiya|"
    r"good (morning|afternoon|evening)|greetings|anyone there|is anyone there)( there)?( 呀| 啊)?$"
)
THANKS = re.compile(
    r"^(谢谢|谢谢你|谢谢您|多谢|感谢|非常感谢|太感谢了|谢啦|好的谢谢|好的 谢谢|明白了谢谢|"
    r"thanks|thank you|thanks a lot|"
    r"thank you very much|thx|ty|cheers|great thanks|ok thanks|ok thank you|many thanks)( 了)?$"
)
GOODBYE = re.compile(
    r"^(再见|拜拜|拜|好的再见|没有了|没事了|就这样|bye|goodbye|bye bye|see you|that is all|that's all)$"
)
HELP = re.compile(
    r"(你能做什么|你可以做什么|你会什么|你能干什么|有什么功能|怎么用|帮助|菜单|功能列表|"
    r"what can you do|what do you do|how does this work|how do i use this|^menu$|^options$|^start$|"
    r"what can i ask|who are you|你是谁)"
)
CANCEL = re.compile(
    r"^(取消|算了|不用了|重新开始|重来|从头开始|退出|停止|不办了|"
    r"cancel|stop|restart|start over|quit|exit|never ?mind|reset)$"
)
HANDOVER = re.compile(
    r"(转人工|人工客服|人工服务|找人工|真人|找民警|找警察|和民警|跟民警|值班民警|民警聊|客服|人工|"
    r"talk to (a |an |the )?(person|human|officer|someone|agent|real person|police ?officer)|speak (to|with) "
    r"(a |an |the )?(person|human|officer|someone|agent)|real person|human agent|live agent|\bagent\b|\boperator\b)"
)
REQUEST = re.compile(
    r"(我要|我想|想要|帮我|需要)(投诉|举报|反映|留言|提交|提出|提个|写个|提建议|建议)|"
    r"提交(一个|个)?(诉求|申请|请求|咨询|投诉|建议|线索)|^(投诉|举报|留言|提建议)$|"
    r"\b(i want to|i would like to|i'd like to|i need to|can i|let me|help me) (complain|file|submit|make a complaint|"
    r"lodge|report something|leave a (message|tip)|give a tip|make a suggestion)|"
    r"\b(file|submit|open|lodge|make) (a |an )?(request|complaint|inquiry|enquiry|tip|suggestion)\b|"
    r"^(complain|complaint)$"
)
# Words around a filing command that are not details ("I want to file *a request* please").
FILLER = re.compile(
    r"\b(a|an|the|my|request|requests|complaint|complaints|tip|suggestion|inquiry|enquiry|please|now|here|online|"
    r"with you|to you|about)\b|一个|一下|个|诉求|请求|吧|啊|呀|我想|我要"
)
TRACK = re.compile(
    r"(查询进度|查进度|查一下进度|办理进度|处理进度|查询进展|办理进展|处理进展|进度查询|查询诉求|查询我的|受理编号|查询码|跟踪.{0,4}(申请|进度|诉求)|"
    # "track" alone or tracking a request, not "keep track of who I replied to" (a question)
    r"^track$|\btrack (my |the |a |an |our )?(request|complaint|inquiry|enquiry|case|reference|application|tip)s?\b|"
    r"\bstatus of my\b|\bcheck (on )?(my )?(request|complaint|inquiry|status)\b|\bmy reference\b|"
    r"\bfollow up on my (request|complaint|inquiry)\b)"
)

# Request kinds recognised in the opening message ("我要投诉" → complaint).
KIND_WORDS = [
    ("complaint", re.compile(r"投诉|complain")),
    ("tip", re.compile(r"举报|线索|\btip\b|report something")),
    ("suggestion", re.compile(r"建议|suggest")),
    ("service", re.compile(r"办理|办事|申请|service request|\bapply\b")),
    ("consultation", re.compile(r"咨询|\bquestion\b|\benquir|\binquir|consult")),
]

YES = re.compile(
    r"^(是|是的|对|对的|好|好的|可以|行|同意|确认|确定|没问题|嗯|提交|确认提交|yes|y|yeah|yep|ok|okay|sure|agree|"
    r"i agree|confirm|correct|submit|go ahead|please do)$"
)
NO = re.compile(r"^(否|不|不是|不要|不用|不同意|no|n|nope|no thanks|disagree|i do not agree|do not)$")
SKIP = re.compile(r"^(匿名|匿名提交|不留|不留了|跳过|不需要|skip|anonymous|stay anonymous|none|no contact)$")


def matches(pattern, text):
    return bool(pattern.search(bare(text)))


def whole(pattern, text):
    return bool(pattern.match(bare(text)))


def find_reference(text):
    m = REFERENCE.search(unicodedata.normalize("NFKC", text or ""))
    return f"YG-{m.group(1)}-{m.group(2)}" if m else None


def find_access_code(text):
    norm = unicodedata.normalize("NFKC", text or "")
    norm = REFERENCE.sub(" ", norm)
    m = ACCESS_CODE.search(norm)
    return f"{m.group(1)}-{m.group(2)}".upper() if m else None


def pick_index(text, count):
    """A choice typed as its number ("2", "第2个", "２"), 0-based, or None."""
    m = re.fullmatch(r"(第)?\s*(\d{1,2})\s*(个|项|条|\.|)?", normalize(text))
    if not m:
        return None
    index = int(m.group(2)) - 1
    return index if 0 <= index < count else None


def pick_label(text, choices):
    """The choice whose label (or id) the citizen typed, or None."""
    typed = bare(text)
    if not typed:
        return None
    index = pick_index(text, len(choices))
    if index is not None:
        return choices[index]
    for choice in choices:
        if typed == bare(choice["label"]) or typed == bare(choice["id"].split(":", 1)[-1]):
            return choice
    for choice in choices:
        label = bare(choice["label"])
        if len(typed) >= 2 and (typed in label or (len(label) >= 2 and label in typed)):
            return choice
    return None
