"""Demo data for search, called by `manage.py seed_demo` (idempotent): a starter set of synonym
sets, the words citizens use next to the words editors write. Editors extend them in the admin
(Snippets → Synonym sets); search expands them at query time.
"""

from django.db import transaction

# (language, terms, note). Terms of one set are interchangeable in a query.
STARTER_SETS = [
    # Chinese: colloquial ↔ official
    ("zh-hans", "遗失, 丢失, 丢, 掉了, 找不到, 不见了, 弄丢, 被偷, 被盗", "lost"),
    ("zh-hans", "补领, 补办, 重新办, 再办", "replace a document"),
    ("zh-hans", "换领, 换证, 换发, 换新, 到期, 过期", "renew a document"),
    ("zh-hans", "身份证, 居民身份证", ""),
    ("zh-hans", "户口, 户籍, 落户, 入户", ""),
    ("zh-hans", "户口本, 户口簿", ""),
    ("zh-hans", "驾照, 驾驶证, 驾驶执照", ""),
    ("zh-hans", "违章, 交通违法, 罚单", ""),
    ("zh-hans", "宾馆, 旅馆, 酒店, 民宿, 招待所", ""),
    ("zh-hans", "护照, 普通护照", ""),
    ("zh-hans", "港澳通行证, 往来港澳通行证, 港澳证", ""),
    ("zh-hans", "台湾通行证, 往来台湾通行证, 台胞证", "colloquially (and wrongly) 台胞证"),
    ("zh-hans", "无犯罪记录证明, 无犯罪证明, 无犯罪记录, 良民证", ""),
    ("zh-hans", "居住证, 暂住证", "暂住证 is the old name"),
    ("zh-hans", "狗, 犬, 犬只, 宠物狗", ""),
    ("zh-hans", "狗证, 犬证, 养犬登记", ""),
    ("zh-hans", "骗, 被骗, 诈骗, 骗子, 上当", ""),
    ("zh-hans", "报警, 报案", ""),
    ("zh-hans", "车牌, 号牌, 牌照", ""),
    ("zh-hans", "宝宝, 婴儿, 新生儿", ""),
    ("zh-hans", "去世, 过世, 死亡, 病故", ""),
    ("zh-hans", "走失, 走丢, 失踪, 失联, 联系不上", ""),
    ("zh-hans", "小孩, 孩子, 儿童, 小朋友, 未成年人", ""),
    ("zh-hans", "火车, 高铁, 动车", ""),
    ("zh-hans", "领取, 领, 拿, 取", "collect a document"),
    ("zh-hans", "公章, 印章, 刻章", ""),
    ("zh-hans", "吵, 噪音, 扰民", ""),
    # English: spelling variants and plain words
    ("en", "licence, license", "British and American spelling"),
    ("en", "lost, missing, stolen, cant find, ran away", ""),
    ("en", "id card, identity card, resident id", ""),
    ("en", "hukou, household registration, household register", ""),
    ("en", "driving licence, driver's license, drivers license", ""),
    ("en", "ticket, fine, violation", "traffic"),
    ("en", "hotel, hostel, guesthouse, inn, homestay", ""),
    ("en", "scam, fraud, scammer, con", ""),
    ("en", "renew, renewal, expired, expire", ""),
    ("en", "replace, replacement, reissue", ""),
    ("en", "no criminal record, police clearance, criminal record check, good conduct", ""),
    ("en", "hong kong, hk, macao, macau", ""),
    ("en", "baby, newborn, infant", ""),
    ("en", "number plate, licence plate, plates", ""),
    ("en", "chop, seal, stamp", "company seal"),
    ("en", "passed away, died, death, deceased", ""),
]


def seed(stdout=None):
    """Create the starter synonym sets; a second run changes nothing (matched by language and
    terms, so an editor's own sets are left alone)."""
    from cms.models import SynonymSet

    created = 0
    with transaction.atomic():
        existing = {(s.language, s.terms) for s in SynonymSet.objects.all()}
        for language, terms, note in STARTER_SETS:
            if (language, terms) in existing:
                continue
            SynonymSet.objects.create(language=language, terms=terms, note=note)
            created += 1
    if stdout is not None:
        stdout.write(f"Search: {created} synonym sets created\n")
    return created
