"""Emergency detection: the first thing the chat engine does with every message, in any state.

Policy (see docs/chatbot.md): an emergency is something happening now, or just now, with danger
still present: danger to life, violence or a weapon, a crime in progress (the offender is there or
has just fled), fire/smoke/gas/explosion, a medical emergency, being followed or threatened,
suicide or self-harm, kidnapping or a missing child. A past crime with no present danger ("被诈骗了
怎么报案", "my bike was stolen last week"), a question about a procedure ("怎么举报火灾隐患"),
a hypothetical ("如果着火了怎么逃生"), fiction and figures of speech ("笑死我了", "跳楼价",
"this queue is killing me") are not emergencies: the engine answers them normally (the answers
themselves point to 110 where that is right).

How: the message is normalised (NFKC folds full-width characters, lower case, traditional →
simplified for common characters, English contractions expanded, a few typos of key English words
corrected, spaces between Chinese characters removed). Exclusion phrases are blanked out. Trigger
patterns add their weight per category; guards subtract (a question about procedure, a past-time
marker, a hypothetical, a negation such as "没有人受伤", fiction, "online"); immediacy markers
("正在", "现在", "right now", "!") add a little. A score of THRESHOLD or more is an emergency.
Editors add triggers and exclusions (EmergencyPattern snippet); an exclusion also silences a
built-in trigger on the phrase it covers.
"""

import logging
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import DatabaseError

logger = logging.getLogger(__name__)

THRESHOLD = 0.8
IMMEDIACY_BONUS = 0.3
# Other processes (server workers) notice an editor's change through the shared cache; without a
# shared cache (locmem in development) they reload at the latest after this many seconds.
RELOAD_SECONDS = 60
VERSION_CHECK_SECONDS = 1.0  # how often a process asks the shared cache whether editors changed the patterns
VERSION_CACHE_KEY = "chatbot:emergency-patterns:version"

# Which numbers lead the reply, per category (all replies list 110, 119 and 120).
NUMBERS = {
    "fire": ("119", "110", "120"),
    "medical": ("120", "110", "119"),
    "suicide": ("110", "120", "119"),
}
DEFAULT_NUMBERS = ("110", "120", "119")
CATEGORIES = ("danger", "violence", "crime", "fire", "medical", "threat", "suicide", "kidnapping")


@dataclass(frozen=True)
class EmergencyMatch:
    """What detect() found: the leading category, its score and the phrases that matched."""

    category: str
    score: float
    phrases: tuple[str, ...]
    lang: str
    numbers: tuple[str, ...] = field(default=DEFAULT_NUMBERS)


# --- normalisation -----------------------------------------------------------------------------

# Traditional → simplified for characters that occur in emergency phrases and guards (enough for
# detection; the reply language does not depend on it).
_T2S = str.maketrans(
    "救幫搶殺槍綁傷暈樓燒煙氣脅嚇蹤門個們這裡裏還會說開進從後對時見現著麼為過騷擾報醫車禍喚斷頭腦擊鬥毆姦線鎖闖竊劫帶兒孫爺媽歲龍藥結東歡電難壞聽響鄰處辦證與嗎來讓們沒麼隻倒給將嚴瓶",
    "救帮抢杀枪绑伤晕楼烧烟气胁吓踪门个们这里里还会说开进从后对时见现着么为过骚扰报医车祸唤断头脑击斗殴奸线锁闯窃劫带儿孙爷妈岁龙药结东欢电难坏听响邻处办证与吗来让们没么只倒给将严瓶",
)

_CONTRACTIONS = [
    (r"\b(he|she|it|that|there|who|what|someone|somebody)'s\b", r"\1 is"),
    (
        r"\b(he|she|it|there|someone|somebody)s\b(?= (a|an|got|going|been|trying|following|in|outside|on|someone))",
        r"\1 is",
    ),
    (r"\bi'm\b|\bim\b", "i am"),
    (r"\b(you|we|they)'re\b", r"\1 are"),
    (r"\b(\w+)'ve\b", r"\1 have"),
    (r"\b(\w+)'ll\b", r"\1 will"),
    (r"\bcan'?t\b|\bcannot\b", "can not"),
    (r"\bwon'?t\b", "will not"),
    (r"\b(do|does|did|is|are|was|were|has|have|had|could|would|should)n'?t\b", r"\1 not"),
    (r"\bgonna\b", "going to"),
    (r"\bpl[sz]\b|\bplease\b", "please"),
    (r"\bppl\b", "people"),
    (r"\bu\b", "you"),
]
_CONTRACTIONS = [(re.compile(p), r) for p, r in _CONTRACTIONS]

# Key English words: a token one edit away from one of these (and not itself a word we know) is
# read as that word ("folowing" → "following", "somone" → "someone").
_KEYWORDS = (
    "following followed someone somebody breaking knife stabbed stabbing bleeding collapsed unconscious "
    "breathing kidnapped kidnap robbed robbing burglar intruder suicide threatening threatened stalking "
    "attacking hitting beating choking seizure overdose ambulance emergency drowning trapped explosion "
    "burning smoke fire help"
).split()
_KNOWN = set(_KEYWORDS) | set(
    "follow follows following bleed breaking break breathe breath knife knives beating eating heating "
    "seating hitting sitting fitting kitting biting fire fired fires hire wire tire here hello held helm "
    "smoke smokes spoke stroke broke choke choking some someone somehow robbed robin rubbed stalling "
    "talking walking stalking threatened threatening treating burning turning learning earning warning "
    "collapsed collapse trapped wrapped tapped rapped snapped strapped dropped followers follower "
    "hollowing allowing allowed swallowed bellowing shallow".split()
)


def _edit1(a, b):
    """True when a and b differ by one insertion, deletion, substitution or adjacent swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def _fix_typos(text):
    def fix(m):
        word = m.group(0)
        if len(word) < 5 or word in _KNOWN:
            return word
        for key in _KEYWORDS:
            if len(key) >= 5 and _edit1(word, key):
                return key
        return word

    return re.sub(r"[a-z]+", fix, text)


_HAN = r"\u3400-\u9fff"
_SPACE_BETWEEN_HAN = re.compile(rf"(?<=[{_HAN}])\s+(?=[{_HAN}])")


def normalize(text):
    """The form patterns are matched against (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text or "").lower().translate(_T2S)
    text = text.replace("’", "'").replace("‘", "'")
    text = re.sub(r"\s+", " ", text).strip()
    text = _SPACE_BETWEEN_HAN.sub("", text)
    for pattern, repl in _CONTRACTIONS:
        text = pattern.sub(repl, text)
    return _fix_typos(text)


def _phrase_regex(phrase):
    """A plain editor phrase as a regex: normalised like messages, word-bounded in Latin script."""
    norm = normalize(phrase)
    body = re.escape(norm).replace(r"\ ", r"\s*")
    if re.match(r"[a-z0-9]", norm):
        body = r"\b" + body
    if re.search(r"[a-z0-9]$", norm):
        body += r"\b"
    return body


# --- built-in patterns -------------------------------------------------------------------------
# (regex on normalised text, category, weight). Weight 1.0 is enough on its own; weaker ones
# need a second sign. Keep Chinese and English separate so editors can see what ships.

_ZH_WEAPON = r"(刀|菜刀|砍刀|水果刀|匕首|刀子|枪|手枪|斧头|斧子|棍子|铁棍|凶器|硫酸|汽油|酒瓶|砖头|石头|铁锹|锤子|剪刀)"
_ZH_PERSON = (
    r"(孩子|小孩|儿子|女儿|宝宝|老人|妈妈|爸爸|老婆|老公|妻子|丈夫|姐姐|妹妹|哥哥|弟弟|朋友|同学|奶奶|爷爷|外婆|外公)"
)

BUILTIN_TRIGGERS_ZH = [
    # danger to life
    (r"救命|救救(我|他|她|我们|孩子)|快来人|来人啊", "danger", 1.0),
    (r"(掉|跌|落|摔)(进|到|入)?(了)?(河|水|湖|江|海|井|池塘|水库)(里|中)?|溺水|落水|淹(死|着)", "danger", 1.0),
    (r"被困|困在|(锁|关)在.{0,6}(出不去|出不来)|出不去了", "danger", 1.0),
    (r"生命危险|快不行了|要出人命", "danger", 1.0),
    (r"呼救|喊救命|尖叫|惨叫", "danger", 0.8),
    (
        r"困人|(被|把我)(关|锁)(在|起来)|不让我(下车|走|出去|离开|回家)|限制.{0,2}人身自由|非法拘禁|出不来了",
        "danger",
        1.0,
    ),
    (r"有危险", "danger", 0.6),
    # violence and weapons
    (rf"(拿|持|举|握|挥|亮|掏|抡)(着|了|出|起)?(一把|把|出|个)?(大|长)?{_ZH_WEAPON}", "violence", 1.0),
    (r"持刀|持枪|砍人|捅人|捅了|刺伤|砍伤|开枪|枪声|行凶|杀人了?|泼硫酸|砸人|伤人|枪指着", "violence", 1.0),
    (r"被.{0,3}(打|砍|捅|刺|揍|踢|砸)(了|伤|破)", "violence", 1.0),
    (r"性骚扰|摸我|偷拍", "violence", 0.6),
    (r"打架|斗殴|群殴|打群架|打起来了|互殴", "violence", 0.9),
    (
        r"(在|正在|一直|又)(打|揍|踢|掐)(我|她|他|孩子|人|老婆|老公|妻子|丈夫|女人|小孩|老人|妈妈|爸爸|儿子|女儿)|打我|揍我|掐我脖子|家暴|被打|打伤|见血了?",
        "violence",
        1.0,
    ),
    (r"强奸|性侵|猥亵|非礼", "violence", 1.0),
    (r"(要|想|扬言|说要|来|会)(杀|砍|捅|打死|弄死|砍死|捅死)|打死|弄死|砍死|捅死|杀.{0,2}全家", "threat", 1.0),
    (
        r"(有人|有个人|男的|女的|陌生人|一直|偷偷|那个人|那人|他|她|车).{0,4}跟(了|着)?我|一路跟着|跟了我.{0,4}(路|街|站|条)",
        "threat",
        1.0,
    ),
    # crime in progress
    (r"抢劫|被抢|抢了我|抢我|打劫|持刀抢", "crime", 1.0),
    (r"撬(门|锁|窗|我家)|砸.{0,4}(门|窗|玻璃)|闯进|闯入|入室|翻窗|爬进", "crime", 1.0),
    (r"小偷.{0,3}(还|正|在)|有人.{0,4}(正在|在)偷|正在偷|贼.{0,2}(还在|在我家)|有人在我家", "crime", 1.0),
    (r"踹门|撞门|硬闯|破门|(敲|拍|砸)(我家)?门.{0,10}(要进来|不走|开门)|要进来|想进来", "crime", 0.8),
    (r"(刚|刚刚)(跑|逃)", "crime", 0.5),
    # a theft or robbery that has just happened (the thief may still be caught)
    # (抢 is left to the robbery pattern above: "刚抢了两张火车票" is buying tickets)
    (r"(刚|刚刚|刚才).{0,4}(偷|扒)(走|了)(?!个?懒)|偷了.{0,8}(正在|还在)(跑|逃)", "crime", 0.8),
    # fire, smoke, gas, explosion
    (r"着火|起火|失火|火灾了|火很大|大火|火烧|烧起来|在烧|冒烟|浓烟|烟很大|好多烟|火场", "fire", 1.0),
    (
        r"(煤气|燃气|天然气|液化气)(泄漏|泄露|漏了|漏气|味)|闻到.{0,3}(煤气|燃气|天然气)味?|爆炸了?|冒(黑|白|浓)?烟",
        "fire",
        1.0,
    ),
    # medical
    (r"晕倒|昏倒|昏迷|晕过去|叫不醒|不省人事|休克|倒(在)?地上|倒下了", "medical", 1.0),
    (r"没(有)?(了)?呼吸|没气了|喘不(上|过)气|呼吸困难|透不过气|嘴唇发紫", "medical", 1.0),
    (
        r"心脏病(发作|犯了)|心梗|心脏骤停|中风|脑梗|抽搐|抽筋倒地|口吐白沫|噎住|卡住喉咙|触电|中毒|大出血",
        "medical",
        1.0,
    ),
    (r"(流|出)了?(好多|很多|一地|大量)(的)?血|血流不止|满身是血|头破血流", "medical", 1.0),
    (r"受伤|撞伤|摔伤|骨折", "medical", 0.5),
    (r"烧伤|烫伤", "medical", 0.7),
    (
        r"说不出话|半边身子|半身.{0,2}(动不了|没知觉)|口眼歪斜|嘴歪了|抽风|惊厥|摔倒.{0,4}起不来|要生了|羊水破了|难产|"
        r"(头|脸|腿|手|身上|鼻子|嘴).{0,3}(在)?(流血|出血|流了好多血)|胸口(剧痛|疼得厉害)|喘不上来",
        "medical",
        1.0,
    ),
    (r"撞人|撞倒|伤者|伤员", "medical", 0.6),
    (r"躺在(地上|路上|路边|马路上)|流血|出血|高烧|胸口疼|胸痛", "medical", 0.6),
    (r"一动不动|不动了|没(有)?反应|叫不应|没(有)?意识|失去意识|摔破头|头撞", "medical", 1.0),
    (r"(喝|吞|吃)了?.{0,3}(农药|洗洁精|消毒液|84|漂白剂|老鼠药|电池|硬币)|误食|误吞|误喝", "medical", 1.0),
    (r"车祸|撞车|被车撞|撞人了|翻车", "medical", 0.6),
    # followed or threatened
    (r"被(人)?跟踪|跟踪我|(一直|有人|有个人|陌生人).{0,4}跟着我|尾随", "threat", 1.0),
    (r"威胁我|恐吓我|要杀(了)?我|杀了我|弄死我|砍死我|要来找我|不放过我|报复我|要打我", "threat", 1.0),
    (r"威胁|恐吓|害怕|好怕|吓死", "threat", 0.4),
    # suicide and self-harm
    (
        r"自杀|轻生|不想活|活不下去|活着没意思|想死|寻死|结束(自己的)?生命|跳楼|跳河|跳桥|跳江|割腕|上吊|"
        r"结束这一切|一了百了|往下跳|跳下去|站在(天台|楼顶|窗台|桥|阳台)",
        "suicide",
        1.0,
    ),
    (
        r"(吃|吞|喝)了.{0,6}(安眠药|农药|百草枯|老鼠药|敌敌畏|一(整)?瓶药|好多药|很多药|一把药)|自残|伤害自己",
        "suicide",
        1.0,
    ),
    # kidnapping and missing persons
    (r"绑架|被绑|绑走|拐(走|卖|骗)|人贩子|抱走|抢走(了)?(孩子|小孩)|抢(小孩|孩子)", "kidnapping", 1.0),
    (r"(拖|拽|塞|拉|推)(上|进)(了)?.{0,2}(车|面包车)", "kidnapping", 1.0),
    (rf"{_ZH_PERSON}(在.{{0,6}}|突然|刚才|刚刚)?(走丢|走失|不见了|找不到了|失踪)", "kidnapping", 1.0),
    (r"走丢|走失|失踪", "kidnapping", 0.6),
    (
        rf"{_ZH_PERSON}.{{0,4}}被.{{0,6}}(带走|抱走|拉走|拖走|拖上车|拉上车|骗走)|被.{{0,4}}(拖上车|拉上车|强行带走)",
        "kidnapping",
        1.0,
    ),
    (rf"{_ZH_PERSON}.{{0,10}}(联系不上|不接电话|没回家|没有回家|还没回来|一夜未归)", "kidnapping", 0.7),
    # more colloquial phrasings (round 4)
    (r"(昏|晕)(了)?过去|不省人事", "medical", 1.0),
    (r"心脏不舒服|心口疼|心慌", "medical", 0.8),
    (r"冒冷汗|出冷汗|脸色发白|脸色发紫", "medical", 0.5),
    (r"吐血|咳血|呕血|便血", "medical", 1.0),
    (r"被(车|汽车|货车|卡车|电动车|摩托车|公交车)(给)?(撞|碾|压)(了|倒|飞|伤)", "medical", 1.0),
    (r"(全是|都是|满屋子|一屋子|好大的)烟|烟雾(很大|弥漫)", "fire", 1.0),
    (r"放火|纵火|泼汽油|浇汽油|要烧(死|了)", "violence", 1.0),
    (r"(我|我们|他|她|孩子|家人).{0,4}(很|好|非常|十分)危险", "danger", 1.0),
    (r"电梯.{0,4}(掉|坠|下坠|坠落|卡住|困)|困在电梯", "danger", 1.0),
    (r"(追|追着|追杀|追打)(我|我们|人)|在追我", "threat", 1.0),
    (r"坏人|歹徒|劫匪", "threat", 0.6),
    (r"掐(着|住)?(我|她|他|孩子)的?脖子", "violence", 1.0),
    (r"持械|械斗", "violence", 1.0),
    (r"抢(钱|东西|包|手机|银行|劫)", "crime", 1.0),
    (r"撬.{0,4}(门|锁|窗|车)", "crime", 1.0),
    (r"(陌生人|有人|小偷|坏人|贼).{0,4}进(了)?(我家|家里|屋|房间|院子|卧室)", "crime", 1.0),
    (r"有人.{0,2}偷(东西|车)", "crime", 0.6),
    (r"炸(楼|学校|车站|商场|医院|地铁|桥|死)|炸弹|爆炸物", "violence", 1.0),
    (r"(拖|拽|塞|拉|推|抱)(上|进|走)(了)?.{0,3}(小巷|巷子|树林|房间|屋里|屋子|胡同)", "kidnapping", 1.0),
    # round 5
    (r"下药|被下了药|迷药|迷晕", "crime", 1.0),
    (r"围殴|殴打|暴打|毒打|往死里打|打得(很|好|非常)?(厉害|凶|狠)", "violence", 1.0),
    (r"(打|揍|踢)(老婆|老公|妻子|丈夫|女人|小孩|老人|孩子)", "violence", 0.8),
    (r"皮都掉|掉皮|大面积|起泡了", "medical", 0.5),
    (r"自燃|烧着了|着了火|起了火", "fire", 1.0),
    (r"(家|屋|房间|卧室)(里)?进(了)?人|进来(了)?(一)?个(陌生)?人", "crime", 1.0),
    (r"司机.{0,8}(荒郊|偏僻|绕路|不停车|不让下车|锁车门)|荒郊野外", "danger", 0.6),
    (r"(门外|门口|楼下|窗外).{0,4}(转悠|徘徊|蹲守|守着|盯着)", "threat", 0.8),
    (r"敲门|砸门", "threat", 0.3),
    # round 6
    (r"(晕|昏)在|倒在(了)?(地|电梯|厕所|路边|家里|楼道|马路)", "medical", 1.0),
    (r"(附近|周围|外面|门口|楼下).{0,2}(转|转悠|徘徊|晃悠|晃)", "threat", 0.6),
    (r"(那人|那个人|他|嫌疑人|凶手|小偷|坏人|那帮人)(还|仍然)在", "threat", 0.6),
    (r"(从|在).{0,6}(掉|摔|坠|跌)(了)?(下来|下去)|高空坠落|坠楼|从楼上掉", "medical", 1.0),
]

_EN_WEAPON = r"(knife|knives|gun|guns|pistol|rifle|shotgun|machete|axe|weapon|blade|bat|crowbar|acid)"

BUILTIN_TRIGGERS_EN = [
    (
        r"\b(grabbed|dragged|pushed|forced|bundled) (a|the|my|her|him|them|this) ?(\w+ )?(into|in) (a|the|his|their) "
        r"(van|car|truck|vehicle)\b|\bgrabbed (a|my|the) (girl|boy|child|kid|woman)\b",
        "kidnapping",
        1.0,
    ),
    (r"^(please |somebody |someone )?(help|help me|help us|save me|sos|mayday)( please)?[\s!.]*$", "danger", 1.0),
    (r"\b(someone|somebody|please) call (the )?(police|ambulance|an ambulance|110|120|119|911|999)", "danger", 1.0),
    (r"\b(drowning|drowned)\b|\bfell (into|in) (the |a )?(river|water|lake|sea|canal|pool|well)\b", "danger", 1.0),
    (
        r"\b(trapped|locked in|stuck in (the |a )?(lift|elevator|fire))\b|\bin danger\b|\bcan not get out\b",
        "danger",
        1.0,
    ),
    (r"\b(screaming|shouting|crying|calling|yelling) for help\b|\bscreaming\b", "danger", 0.8),
    (
        r"\b(will not|does not|do not|not) let me (out|go|leave)\b|\b(held|kept|locked up) (against|hostage)\b",
        "danger",
        1.0,
    ),
    # violence
    (
        rf"\b(has|got|holding|waving|pulled|pulling|carrying|pointing|brandishing) (out )?(a |an |his |her |their )?"
        rf"(\w+ )?{_EN_WEAPON}\b",
        "violence",
        1.0,
    ),
    (
        rf"\b(man|men|guy|woman|someone|somebody|person|people|stranger|he|she|they|boy|gang) (is |are )?with "
        rf"(a |an )?(\w+ )?{_EN_WEAPON}\b",
        "violence",
        1.0,
    ),
    (r"\b(stabbing|stabbed|stab|shooting|shot at|shots fired|gunshots?|gunfire|gunman)\b", "violence", 1.0),
    (r"\b(got|been|was|were|is|are|being|just) (shot|stabbed|raped|attacked|mugged)\b|\braped\b", "violence", 1.0),
    (
        r"\b(hitting|beating|attacking|punching|kicking|choking|strangling|assaulting|hurting) "
        r"(me|us|her|him|my|a|the|someone)\b",
        "violence",
        1.0,
    ),
    (
        r"\b(beat|hit|attacked|assaulted|raped) me\b|\bbeing (attacked|assaulted|beaten|raped)\b|\brap(e|ing)\b",
        "violence",
        1.0,
    ),
    (r"\b(fight|fighting|brawl)\b", "violence", 0.5),
    # crime in progress
    (
        r"\btrying to (open|force|kick|get through) (my|the|our) (door|window|gate)\b|"
        r"\bbreak(ing)? in(to)?\b|\bbroken into\b|\bbreak-in\b|\bburglar|\bintruder|\btrying to (get|break) in",
        "crime",
        1.0,
    ),
    (
        r"\b(someone|somebody|a man|a stranger|a guy|people|strangers?|strange (man|person|guy|woman|people)|"
        r"unknown (man|person)) (is |are )?(in|inside) (my|our|the) "
        r"(house|home|flat|apartment|room|car|garden|yard|backyard|garage|shed|basement|attic|hallway|stairwell)\b",
        "crime",
        1.0,
    ),
    (r"\b(being robbed|robbing|mugging|mugged|robbery|hold ?up|carjack\w*)\b|\brobbed me\b", "crime", 1.0),
    (r"\bhear (them|someone|somebody|footsteps)\b", "crime", 0.5),
    (r"\b(just )?(ran|run|running) away\b|\bgetting away\b", "crime", 0.4),
    (
        r"\b(just|has just|have just) (stole|stolen|snatched|robbed)\b|"
        r"\b(running|ran|run|driving|drove) (off|away) with (my|her|his|our|the)\b",
        "crime",
        0.8,
    ),
    # fire
    (
        r"\bon fire\b|\b(a|the) fire (in|at|on|near|next)\b|\bthere is (a )?fire\b|\bfire!|^fire[\s!.]*$|"
        r"\b(house|building|flat|apartment|car|kitchen|forest|bush) fire\b|\bflames\b",
        "fire",
        1.0,
    ),
    (r"\bburning\b", "fire", 0.6),
    (
        r"\bsmoke (is )?(coming|pouring|everywhere|filling)|\bfull of smoke\b|\bsmell(s|ing)? (gas|smoke|burning)\b|"
        r"\bgas leak\b|\bleaking gas\b|\bexplosion\b|\bexploded\b",
        "fire",
        1.0,
    ),
    # medical
    (
        r"\b(collapsed|unconscious|passed out|fainted|unresponsive|not breathing|can not breathe|stopped breathing|"
        r"not waking up|will not wake up|can not wake (him|her|them)|turning blue)\b",
        "medical",
        1.0,
    ),
    (r"\b(heart attack|stroke|seizure|choking|overdose|overdosed|anaphyla\w+|electrocuted|poisoned)\b", "medical", 1.0),
    (
        r"\b(bleeding (a lot|badly|heavily|everywhere)|lots? of blood|covered in blood|blood everywhere)\b",
        "medical",
        1.0,
    ),
    (r"\b(bleeding|injured|hurt|wounded)\b", "medical", 0.5),
    (
        r"\b(i am|he is|she is|they are|is|are) (bleeding|badly hurt|seriously hurt|badly injured)\b|\bchest pain\b|"
        r"\bthroat (is )?(swelling|closing)\b|\bcan not (breathe|swallow)\b|\bwater (has )?broke\b|"
        r"\bgoing into labou?r\b",
        "medical",
        1.0,
    ),
    (r"\ballergic reaction\b|\bhigh fever\b|\bfainting\b", "medical", 0.6),
    (
        r"\b(not responding|not moving|will not respond|no pulse|not conscious|lost consciousness|turned blue)\b",
        "medical",
        1.0,
    ),
    (
        r"\b(swallowed|drank|ingested|ate) (some |a |the )?(bleach|poison|pills|batteries|battery|chemicals|detergent|"
        r"cleaning|rat poison|pesticide|medicine)\b",
        "medical",
        1.0,
    ),
    (
        r"\bhit (his|her|their|my) head\b|\bfell (down|over|off|from)\b|\b(hit|knocked down|ran over|run over) "
        r"(a |an |the )?(pedestrian|child|kid|man|woman|cyclist|someone|person)\b",
        "medical",
        0.6,
    ),
    (
        r"\b(car|bike|motorbike|road|traffic) (crash|accident)\b|\bhit by a (car|bus|truck)\b|\bcrashed\b",
        "medical",
        0.6,
    ),
    (r"\bambulance\b", "medical", 0.4),
    # followed or threatened
    (r"\b(being followed|following me|followed me|stalking me|being stalked|stalker)\b", "threat", 1.0),
    (
        r"\b(threaten(ing|ed|s)? (to )?(kill|hurt|harm|stab|shoot)|threatening me|going to (kill|hurt|stab|shoot) me|"
        r"(will|wants to|trying to|try to|says he will|says she will) (kill|hurt|stab|shoot) me|kill me)\b",
        "threat",
        1.0,
    ),
    (r"\b(outside my (door|house|flat|home|window)|scared|terrified|afraid)\b", "threat", 0.4),
    (r"\b(following|tailing|chasing) (me|us|my|our)\b|\bfollowed (me|us)\b", "threat", 1.0),
    # suicide and self-harm
    (
        r"\b(kill (myself|herself|himself|themselves)|suicid\w*|end (my|his|her) life|want to die|"
        r"(do not|does not|not) want to (live|be alive)|self[- ]harm|cut (myself|herself|himself)|"
        r"jump(ing)? off|hang (myself|herself|himself))\b",
        "suicide",
        1.0,
    ),
    (
        r"\btook (a |an )?(whole |entire |lots of |all )?(bottle |box |pack )?(of )?(pills|tablets|sleeping pills)\b",
        "suicide",
        1.0,
    ),
    (
        r"\b(end(ing)? it all|not worth living|better off dead|no reason to live|take my (own )?life|"
        r"threaten\w* to (jump|end|take)|jump(ing)? (off|from) (the |a )?(roof|bridge|building|balcony|window))\b",
        "suicide",
        1.0,
    ),
    # kidnapping, missing child
    (
        r"\b(kidnap\w*|abduct\w*|snatched)\b|\b(someone|somebody|a man|a woman|they) took (my|him|her)\b",
        "kidnapping",
        1.0,
    ),
    (
        r"\b(son|daughter|child|kid|baby|boy|girl|toddler|grandma|grandpa|grandmother|grandfather|mum|mom|dad) "
        r"(is |has gone |went )?(missing|lost|gone)\b|\bcan not find my (son|daughter|child|kid|baby)\b",
        "kidnapping",
        1.0,
    ),
    (
        r"\b(son|daughter|child|kid|boy|girl|sister|brother|mum|mom|dad|wife|husband)\b.{0,30}"
        r"\b(did not come home|has not come home|not come back|not answering|can not reach|is not answering)\b",
        "kidnapping",
        0.8,
    ),
    # more phrasings (round 4)
    (r"\bbreaking (the |my |a |our )?(\w+ )?(window|windows|door|glass|lock)\b", "crime", 1.0),
    (r"\b(bomb|bombs|explosive device|bomb threat)\b", "violence", 1.0),
    (
        r"\b(going to|will|wants to|threatening to|threatens to|trying to|about to) (kill|hurt|harm|shoot|stab|attack|"
        r"burn) (me|us|the|my|his|her|our|them|someone|everyone|people|him|her)\b",
        "threat",
        1.0,
    ),
    (r"\b(cut|slit|slashed) (my|his|her|their) wrists?\b|\btook too many\b", "suicide", 1.0),
    (
        r"\b(building|roof|house|wall|bridge|ceiling) (is |has )?(collapsing|collapsed|caved in|falling down)\b",
        "danger",
        1.0,
    ),
    (
        r"\b(went|drove|crashed|rolled|fell) (in)?to (the|a) (river|lake|sea|water|canal|harbour|harbor)\b",
        "danger",
        1.0,
    ),
    (r"\barmed (man|men|person|robbery|robber|gang)\b|\battacked by\b|\babusing (me|her|him|my)\b", "violence", 1.0),
    (r"\bin labou?r\b|\bchest (tightness|hurts|is tight)\b", "medical", 1.0),
    # round 5
    (rf"\bwith (a |an )(\w+ )?{_EN_WEAPON}\b", "violence", 0.7),
    # round 6
    (
        r"\b(kick|kicking|kicked|bang|banging|pounding|smashing|hammering) (down |in )?(on )?(my|the|our) "
        r"(door|window)",
        "crime",
        1.0,
    ),
    (r"\bexpos(ing|ed) (him|her)self\b|\bflashing (me|kids|children|people)\b", "violence", 1.0),
    (r"\blocked (me|us|her|him) (in|up|inside)\b|\btook my phone\b", "danger", 1.0),
    (r"\blying (on|in) the (road|street|ground|floor|pavement)\b", "medical", 0.8),
    (r"\bcrash\b", "medical", 0.4),
    (r"\bharass(ed|ing)\b", "threat", 0.6),
    (r"\b(will not|does not|do not) leave me alone\b", "threat", 0.6),
    (
        r"\b(he|she|they|someone|somebody|neighbou?r|man|woman|person|body|my (mum|mom|dad|father|mother|wife|husband|"
        r"son|daughter|friend|grandma|grandpa|neighbou?r)) (is |are |looks |seems )?dead\b|"
        r"\bdead body\b|\bfound a body\b",
        "danger",
        1.0,
    ),
]

BUILTIN_EXCLUSIONS_ZH = [
    r"跳楼价|跳楼大甩卖|跳楼机|炸鸡|炸酱|油炸|炸串|火车|火锅|火爆|火气|上火|打火机|火柴|救命稻草|救命恩人",
    r"(笑|热|累|烦|急|气|饿|困|忙|冷|懒|吓|闷|无聊)死(我|人)?(了|啦)?",
    r"跟踪.{0,4}(进度|申请|快递|物流|投诉|案件|办理|处理|结果|订单|情况|一下)|跟踪服务",
    r"火灾隐患|消防(安全)?(检查|验收|通道|设施|知识|培训|演练)|防火|灭火器|烟花|烟头|抽烟|吸烟|香烟|烟酒",
    r"急救(培训|课程|知识|证)|防走失|持枪证|枪支管理|刀具管理|管制刀具",
    r"车祸险|意外险|保险|烧烤|火烧云|发烧|被困扰|困扰",
    r"打(扰|折|卡|车|印|针|疫苗|官司|听|工|电话|字|算|包|扫|开|款|的|游戏)|打(我|你|他|她)的?(电话|手机)",
    r"(猫|狗|宠物|狗狗|猫咪|钱包|手机|行李|包|证件|身份证|车).{0,4}(走丢|走失|不见了|丢了|找不到了|被偷)",
    r"想死(你|您|你们|我)了",
]

BUILTIN_EXCLUSIONS_EN = [
    r"\bfire (safety|exit|exits|door|doors|drill|alarm test|inspection|extinguishers?|regulations?|code|"
    r"certificate|escape|brigade station|sale|works)\b|\bfireworks?\b|\bfired from\b|\bgot fired\b",
    r"\b(dying to|to die for|killing it|is killing me|kills me|dead battery|phone is dead|battery is dead|"
    r"(wifi|internet|line|signal|network|laptop|computer|printer|website) is dead|"
    r"dead line|deadline)\b",
    r"\b(business|company|market|deal|shop|plan|negotiations?|talks|marriage|application)s? (has |had )?collapsed\b",
    r"\bfirst aid\b|\b(gun|firearms?|weapons?) licen[cs]es?\b|\bknife sharpening\b",
    r"\bhelp me (find|with|get|understand|apply|fill|renew|book|choose)\b|\bcan you help\b|"
    r"\bhelp (desk|centre|center)\b",
    r"\b(track|follow up on|follow the|follow my|following up)\b",
    r"\bsmoke (alarm|detector)s?\b|\bsmoking\b",
    r"\bshooting (range|club|a video|video|photos|pictures|film)\b|\bphoto ?shoot\b|\bbath bombs?\b|\bphotobomb\w*\b",
]

# Guards: (regex, penalty). They describe the whole message, not a single phrase.
GUARDS_ZH = [
    # questions about a procedure or a rule (not "怎么办", which is how people ask for help)
    (
        r"(怎么|怎样|如何|在哪|哪里|去哪)(才能)?(举报|报案|报警处理|办理|办证|申请|处理|查|查询|补办|起诉|追回|投诉|预约|"
        r"报名|注册|登记|领|缴|交|开证明|预防|防范)|流程|手续|需要(准备)?什么|什么材料|什么条件|标准是|有什么区别|是什么意思|"
        r"电话是多少|号码是多少|归.{0,4}管|算不算|(案子|案件).{0,8}(处理|进展|进度|结果|怎么样)|合法吗|违法吗|犯法吗|犯法|允许吗|起诉|立案|追回|赔偿|验伤|理赔|报销",
        "procedure",
        0.6,
    ),
    # past events (cancelled by a sign of now: "之前报过警，现在他又在砸门")
    (
        r"上(个)?月|上周|上星期|上次|上回|曾经|过一次|过一回|有过|去年|前年|之前|以前|前几天|昨天|昨晚|前天|几天前|当时|已经(走|跑|离开)了|事后|后来",
        "past",
        0.6,
    ),
    # hypotheticals and prevention
    (r"如果|万一|假如|假设|要是.{0,6}怎么办|遇到.{0,8}(怎么办|该怎么)|预防|防范|以后", "hypothetical", 0.6),
    # negations
    (r"没(有)?人受伤|无人受伤|没受伤|不是紧急|不紧急|没有危险|不危险|已经(没事|安全)|开玩笑", "negation", 1.0),
    # fiction, news; online (not in the same room)
    (r"电影|电视剧|小说|新闻|视频里|剧里|梦到|梦见|案例|报道|研究|统计|记者", "fiction", 0.6),
    # legal consequences and remedies ("打架斗殴会被拘留几天", "被家暴了可以申请保护令吗")
    (
        r"会被|拘留|判(刑|几年)|申诉|处分|复议|处罚|罚款|坐牢|量刑|(可以|能|能不能|怎么|如何)申请|保护令|怎么.{1,6}办",
        "procedure",
        0.6,
    ),
    (r"网上|网络上|微信上|短信|电话里|群里", "online", 0.4),
]

GUARDS_EN = [
    (
        r"\bhow (do|can|should|would) (i|we|you) (report|apply|renew|get|file|register|obtain|make|book|pay|check|"
        r"find out|claim|appeal|complain)\b|\bhow to (report|apply|renew|get|file|register|claim|appeal)\b|"
        r"\bhow (much|long)\b|\bwhere (can|do) (i|we)\b|\bwhat (number|documents|are the|is the)\b|"
        r"\bcan i (still )?(report|bring|get|apply|take|file|carry)\b|\brules?\b|\brequirements?\b|\bprocedure\b|"
        r"\bcopy of\b|\bcourse\b|\btraining\b|\bregister\b|\bapply\b|\bcertificate\b|\bpolicy\b|\blegal\b|"
        r"\ballowed\b|\bpermitted\b|\blaw\b|\binsurance\b",
        "procedure",
        0.6,
    ),
    (
        r"\byesterday\b|\blast (night|week|month|year|time)\b|\b\w+ (days|weeks|months|years) ago\b|\bearlier this\b|"
        r"\b(was|were) stolen\b|\balready (gone|left|over)\b|\bin the past\b",
        "past",
        0.6,
    ),
    (r"^(report|reporting) (a|an)\b", "procedure", 0.6),
    (
        r"\bin case\b|\bwhat (should|do) (i|we|you) do if\b|\bwhat if\b|\bif (there is|there was|i see|someone)\b|"
        r"\bhypothetical",
        "hypothetical",
        0.6,
    ),
    (
        r"\b(nobody|no one|no-one|noone) (is |was |got )?(hurt|injured)\b|\bnot an emergency\b|\bno injuries\b|"
        r"\bnot (hurt|injured)\b|\bjust kidding\b",
        "negation",
        1.0,
    ),
    (
        r"\b(movie|film|tv show|series|novel|news|dream|journalist|article|writing about|research|statistics)\b",
        "fiction",
        0.6,
    ),
    (r"\bonline\b|\bon (facebook|wechat|twitter|instagram|tiktok)\b|\bby (text|email|message)\b", "online", 0.4),
]

# Signs of now. They add a little to the score and cancel the past-time guard.
IMMEDIACY_ZH = r"现在|正在|还在|又在|刚才|刚刚|快点?|马上|赶紧|立刻|救命|门口|门外|楼下|我家|外面|今晚|此刻|!|！"
IMMEDIACY_EN = (
    r"\bnow\b|\bright now\b|\bhurry\b|\bquick(ly)?\b|\bplease\b|\bhelp\b|!|\boutside\b|\bstill\b|\btonight\b|\bagain\b"
)
NOW_ZH = r"现在|正在|还在|又在|刚才|刚刚|此刻|马上"
NOW_EN = r"\bnow\b|\bright now\b|\bstill\b|\bagain\b|\bat the moment\b"
# Danger that persists although it started earlier: a past-time marker costs these only half.
PERSISTENT = {"threat", "suicide"}


# --- compiled pattern set with editor patterns ---------------------------------------------------


@dataclass
class _Trigger:
    regex: re.Pattern
    category: str
    weight: float
    source: str  # the pattern text as written (for disabling and for the match report)
    lang: str  # "zh-hans", "en" or "any"
    builtin: bool = True


@dataclass
class _PatternSet:
    triggers: list
    exclusions: list
    loaded_at: float
    version: object


_lock = threading.Lock()
_cached: _PatternSet | None = None


def _compile(regex_text):
    return re.compile(regex_text)


def _build(db_rows):
    triggers = []
    exclusions = []
    for lang, table in (("zh-hans", BUILTIN_TRIGGERS_ZH), ("en", BUILTIN_TRIGGERS_EN)):
        for regex_text, category, weight in table:
            triggers.append(_Trigger(_compile(regex_text), category, weight, regex_text, lang))
    for table in (BUILTIN_EXCLUSIONS_ZH, BUILTIN_EXCLUSIONS_EN):
        for regex_text in table:
            exclusions.append((_compile(regex_text), "any"))
    for row in db_rows:
        if not row["active"]:
            continue
        try:
            # Messages are matched in normalised form (lower case): so are editors' expressions.
            regex = re.compile(row["pattern"] if row["is_regex"] else _phrase_regex(row["pattern"]), re.IGNORECASE)
        except re.error:
            logger.warning("emergency pattern %r is not a valid regular expression; skipped", row["pattern"])
            continue
        if row["kind"] == "exclusion":
            exclusions.append((regex, row["language"]))
        else:
            triggers.append(_Trigger(regex, row["category"], row["weight"], row["pattern"], row["language"], False))
    return triggers, exclusions


def _load_db_rows():
    from chatbot.engine_models import EmergencyPattern

    try:
        return list(
            EmergencyPattern.objects.values("pattern", "is_regex", "language", "kind", "category", "weight", "active")
        )
    except DatabaseError:  # not migrated yet: the built-in set still works
        logger.warning("emergency patterns table unavailable; using the built-in set only")
        return []


def _current_version():
    try:
        return cache.get(VERSION_CACHE_KEY)
    except Exception:  # a cache outage must never stop emergency detection
        logger.exception("cache unavailable while checking emergency pattern version")
        return None


_checked = {"at": -1e9, "version": None}


def patterns():
    """The compiled pattern set (cached; reloaded after an editor's change: at once in this
    process, within VERSION_CHECK_SECONDS in the others, which ask the shared cache for the
    version at most that often rather than on every message)."""
    global _cached
    now = time.monotonic()
    if now - _checked["at"] >= VERSION_CHECK_SECONDS or _cached is None:
        _checked["version"] = _current_version()
        _checked["at"] = now
    version = _checked["version"]
    current = _cached
    if current is not None and current.version == version and now - current.loaded_at < RELOAD_SECONDS:
        return current
    with _lock:
        triggers, exclusions = _build(_load_db_rows())
        _cached = _PatternSet(triggers, exclusions, now, version)
        return _cached


def invalidate():
    """Forget the compiled set here and, through the shared cache, in every other process."""
    global _cached
    _cached = None
    _checked["at"] = -1e9
    try:
        cache.set(VERSION_CACHE_KEY, time.time_ns(), None)
    except Exception:
        logger.exception("cache unavailable while invalidating emergency patterns")


# --- detection ---------------------------------------------------------------------------------


def _detect_lang(text):
    return "zh-hans" if re.search(rf"[{_HAN}]", text) else "en"


_GUARDS = [(re.compile(regex_text), name, cost) for regex_text, name, cost in GUARDS_ZH + GUARDS_EN]
_IMMEDIACY = re.compile(f"{IMMEDIACY_ZH}|{IMMEDIACY_EN}")
_NOW = re.compile(f"{NOW_ZH}|{NOW_EN}")


@dataclass(frozen=True)
class Analysis:
    """The detector's working, for tests, tuning and the docs: scores per category after guards."""

    normalized: str
    lang: str
    scores: dict
    phrases: tuple
    guards: tuple


def analyse(text, lang=None):
    """Score a message (see the module docstring). Both languages' patterns apply to every message,
    because people mix scripts ("help 有人拿刀"); an editor's pattern limited to one language applies
    only to messages in that language."""
    norm = normalize(text)
    msg_lang = lang if lang in ("zh-hans", "en") else _detect_lang(norm)
    if not norm:
        return Analysis(norm, msg_lang, {}, (), ())
    pset = patterns()
    cleaned = norm
    for regex, pattern_lang in pset.exclusions:
        if pattern_lang in ("any", msg_lang):
            cleaned = regex.sub(lambda m: " " * len(m.group(0)), cleaned)
    per_category = {}
    phrases = []
    spans = []
    # Strong signs first, so that a weak pattern inside a strong one ("hurt" in "going to hurt the
    # kids") does not claim the words.
    for trig in sorted(pset.triggers, key=lambda t: -t.weight):
        if not trig.builtin and trig.lang not in ("any", msg_lang):
            continue
        m = trig.regex.search(cleaned)
        if not m:
            continue
        span = range(m.start(), m.end())
        if any(span.start < other.stop and other.start < span.stop for other in spans):
            continue  # overlapping patterns ("老人走失" and "走失") count once
        spans.append(span)
        phrases.append(m.group(0).strip())
        per_category.setdefault(trig.category, []).append(trig.weight)
    if not per_category:
        return Analysis(norm, msg_lang, {}, (), ())
    is_now = bool(_NOW.search(cleaned))
    guards = {}
    for regex, name, cost in sorted(_GUARDS, key=lambda g: g[1] == "past"):  # "past" last: it looks at the others
        if name in guards or not regex.search(cleaned):
            continue
        if name == "past" and is_now and "procedure" not in guards:
            continue  # "之前报过警，现在他又在砸门" (but "去年被打伤，现在还能起诉吗" stays past)
        guards[name] = cost
    bonus = IMMEDIACY_BONUS if _IMMEDIACY.search(cleaned) else 0.0
    # Within a category the strongest sign counts and further ones add a little (patterns overlap:
    # "老人走失" and "走失"); signs in other categories reinforce ("车祸" + "流了好多血").
    strength = {c: max(ws) + 0.5 * (sum(ws) - max(ws)) for c, ws in per_category.items()}
    total_raw = sum(strength.values())
    scores = {}
    for category, value in strength.items():
        penalty = sum(cost / 2 if name == "past" and category in PERSISTENT else cost for name, cost in guards.items())
        scores[category] = round(min(value, 1.5) + 0.5 * min(total_raw - value, 1.0) + bonus - penalty, 3)
    return Analysis(norm, msg_lang, scores, tuple(phrases), tuple(guards))


def detect(text, lang=None):
    """An EmergencyMatch when the message reports an emergency (see the module policy), else None."""
    result = analyse(text, lang)
    if not result.scores:
        return None
    category, best = max(result.scores.items(), key=lambda item: (item[1], -CATEGORIES.index(item[0])))
    if best < THRESHOLD:
        return None
    return EmergencyMatch(
        category=category,
        score=best,
        phrases=result.phrases,
        lang=result.lang,
        numbers=NUMBERS.get(category, DEFAULT_NUMBERS),
    )
