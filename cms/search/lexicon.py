"""The built-in police lexicon: synonym sets installed for every bureau by a data migration
(cms/migrations/0003_synonymset_builtin.py) and by any later migration that adds to this list.

Each set has a stable key. `install()` creates the sets whose key is missing and leaves every
existing one alone: an editor may edit a built-in set or switch it off (SynonymSet.enabled) and
an upgrade keeps that; editors' own sets (no key) are never touched. Deleting a built-in set
in the admin removes it until the next migration that calls install() again; switching it off is
the way to keep it out of search for good.

The segmentation dictionary of the lexicon ships as cms/search/userdict.txt and is loaded by
every process (cms.search.analysis.initialize).

These are general colloquial ↔ official pairs a police service needs; they were written before
and independently of the shared evaluation sets (../shared/eval), whose queries must never be
copied into them.
"""

# (key, language, terms, note). Terms of one set are interchangeable in a query.
BUILTIN_SETS = [
    ("zh-001", "zh-hans", "遗失, 丢失, 丢, 掉了, 找不到, 不见了, 弄丢, 被偷, 被盗", "lost"),
    ("zh-002", "zh-hans", "补领, 补办, 重新办, 再办", "replace a document"),
    ("zh-003", "zh-hans", "换领, 换证, 换发, 换新, 到期, 过期", "renew a document"),
    ("zh-004", "zh-hans", "身份证, 居民身份证", ""),
    ("zh-005", "zh-hans", "户口, 户籍, 落户, 入户", ""),
    ("zh-006", "zh-hans", "户口本, 户口簿", ""),
    ("zh-007", "zh-hans", "驾照, 驾驶证, 驾驶执照", ""),
    ("zh-008", "zh-hans", "违章, 交通违法, 罚单", ""),
    ("zh-009", "zh-hans", "宾馆, 旅馆, 酒店, 民宿, 招待所", ""),
    ("zh-010", "zh-hans", "护照, 普通护照", ""),
    ("zh-011", "zh-hans", "港澳通行证, 往来港澳通行证, 港澳证", ""),
    ("zh-012", "zh-hans", "台湾通行证, 往来台湾通行证, 台胞证", "colloquially (and wrongly) 台胞证"),
    ("zh-013", "zh-hans", "无犯罪记录证明, 无犯罪证明, 无犯罪记录, 良民证", ""),
    ("zh-014", "zh-hans", "居住证, 暂住证", "暂住证 is the old name"),
    ("zh-015", "zh-hans", "狗, 犬, 犬只, 宠物狗", ""),
    ("zh-016", "zh-hans", "狗证, 犬证, 养犬登记", ""),
    ("zh-017", "zh-hans", "骗, 被骗, 诈骗, 骗子, 上当", ""),
    ("zh-018", "zh-hans", "报警, 报案", ""),
    ("zh-019", "zh-hans", "车牌, 号牌, 牌照", ""),
    ("zh-020", "zh-hans", "宝宝, 婴儿, 新生儿", ""),
    ("zh-021", "zh-hans", "去世, 过世, 死亡, 病故", ""),
    ("zh-022", "zh-hans", "走失, 走丢, 失踪, 失联, 联系不上", ""),
    ("zh-023", "zh-hans", "小孩, 孩子, 儿童, 小朋友, 未成年人", ""),
    ("zh-024", "zh-hans", "火车, 高铁, 动车", ""),
    ("zh-025", "zh-hans", "领取, 领, 拿, 取", "collect a document"),
    ("zh-026", "zh-hans", "公章, 印章, 刻章", ""),
    ("zh-027", "zh-hans", "吵, 噪音, 扰民", ""),
    ("en-028", "en", "licence, license", "British and American spelling"),
    ("en-029", "en", "lost, missing, stolen, cant find, ran away", ""),
    ("en-030", "en", "id card, identity card, resident id", ""),
    ("en-031", "en", "hukou, household registration, household register", ""),
    ("en-032", "en", "driving licence, driver's license, drivers license", ""),
    ("en-033", "en", "ticket, fine, violation", "traffic"),
    ("en-034", "en", "hotel, hostel, guesthouse, inn, homestay", ""),
    ("en-035", "en", "scam, fraud, scammer, con", ""),
    ("en-036", "en", "renew, renewal, expired, expire", ""),
    ("en-037", "en", "replace, replacement, reissue", ""),
    ("en-038", "en", "no criminal record, police clearance, criminal record check, good conduct", ""),
    ("en-039", "en", "hong kong, hk, macao, macau", ""),
    ("en-040", "en", "baby, newborn, infant", ""),
    ("en-041", "en", "number plate, licence plate, plates", ""),
    ("en-042", "en", "chop, seal, stamp", "company seal"),
    ("en-043", "en", "passed away, died, death, deceased", ""),
]


def install(model):
    """Create the built-in sets that do not exist yet (by key) with `model` (the SynonymSet model,
    or its historical version in a migration). Returns how many were created."""
    existing = set(model.objects.exclude(builtin_key="").values_list("builtin_key", flat=True))
    created = 0
    for key, language, terms, note in BUILTIN_SETS:
        if key in existing:
            continue
        # A set seeded as demo content before the lexicon was built in becomes the built-in one.
        same = model.objects.filter(builtin_key="", language=language, terms=terms).order_by("id").first()
        if same is not None:
            same.builtin_key = key
            same.save(update_fields=["builtin_key"])
            continue
        model.objects.create(builtin_key=key, language=language, terms=terms, note=note, enabled=True)
        created += 1
    return created
