"""Downloadable demo documents (application forms, notice attachments), generated in code.

The PDFs are written by a tiny generator (no dependency, nothing downloaded). Text is set in
Adobe's standard Chinese font STSong-Light with the UniGB-UCS2-H encoding, which PDF viewers
supply themselves, so the files embed no font and stay a few kilobytes; Latin text uses the same
font's proportional Latin glyphs.
"""

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 56
BODY_SIZE = 11
TITLE_SIZE = 16
LEADING = 1.6


def _text_width(text, size):
    """Approximate advance width: full-width characters 1 em, others half an em."""
    return sum(size if ord(ch) >= 0x2000 else size * 0.5 for ch in text)


def _wrap(text, size, width):
    lines, current = [], ""
    for ch in text:
        if _text_width(current + ch, size) > width:
            lines.append(current)
            current = ch.lstrip()
        else:
            current += ch
    lines.append(current)
    return lines


def _hex(text):
    # UCS-2 code units; characters outside the BMP do not occur in these forms.
    return "<" + "".join(f"{ord(ch):04X}" for ch in text if ord(ch) <= 0xFFFF) + ">"


def make_pdf(title, lines):
    """A small, valid A4 PDF: `title` in bold size, then `lines` (a blank string makes a gap),
    wrapped to the page width and continued on further pages."""
    rows = [(title, TITLE_SIZE), ("", BODY_SIZE)]
    for line in lines:
        for part in _wrap(line, BODY_SIZE, PAGE_WIDTH - 2 * MARGIN) if line else [""]:
            rows.append((part, BODY_SIZE))

    pages, current, y = [], [], PAGE_HEIGHT - MARGIN
    for text, size in rows:
        step = size * LEADING
        if y - step < MARGIN:
            pages.append(current)
            current, y = [], PAGE_HEIGHT - MARGIN
        y -= step
        if text:
            current.append(f"BT /F1 {size} Tf {MARGIN} {y:.1f} Td {_hex(text)} Tj ET")
    pages.append(current)

    # Object numbers: 1 catalog, 2 pages, 3 font, 4 CID font, 5 descriptor, then page/content pairs.
    objects = {
        1: "<< /Type /Catalog /Pages 2 0 R >>",
        3: "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>",
        4: "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 5 0 R "
        "/DW 1000 /W [1 95 500] >>",
        5: "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    }
    kids = []
    for i, ops in enumerate(pages):
        page_no, content_no = 6 + 2 * i, 7 + 2 * i
        stream = "\n".join(ops).encode("ascii")
        objects[page_no] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_no} 0 R >>"
        )
        objects[content_no] = (f"<< /Length {len(stream)} >>\nstream\n".encode("ascii"), stream, b"\nendstream")
        kids.append(f"{page_no} 0 R")
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode("ascii")
        body = objects[number]
        out += b"".join(body) if isinstance(body, tuple) else body.encode("ascii")
        out += b"\nendobj\n"
    xref_at = len(out)
    count = max(objects) + 1
    out += f"xref\n0 {count}\n0000000000 65535 f \n".encode("ascii")
    for number in range(1, count):
        out += f"{offsets[number]:010d} 00000 n \n".encode("ascii")
    out += f"trailer\n<< /Size {count} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n".encode("ascii")
    return bytes(out)


BLANK = "________________"

# key: (document title, file name, PDF title, lines)
DOCUMENTS = {
    "id-card-form": (
        "居民身份证申领登记表 / Resident ID card application form",
        "id-card-application-form.pdf",
        "居民身份证申领登记表 Resident ID card application form",
        [
            "阳光市公安局 Sunshine City Public Security Bureau",
            "",
            "申领原因 Reason:  □首次申领 First card  □到期换领 Renewal  □损坏换领 Damaged  □丢失补领 Lost",
            f"姓名 Name: {BLANK}    性别 Sex: ______    民族 Ethnicity: ______",
            f"出生日期 Date of birth: {BLANK}    公民身份号码 ID number: {BLANK}",
            f"户籍地址 Registered address: {BLANK}{BLANK}",
            f"联系电话 Phone: {BLANK}    领证方式 Collection:  □窗口领取 At the window  □邮寄 By post",
            f"邮寄地址 Postal address: {BLANK}{BLANK}",
            "是否同时申请临时居民身份证 Temporary ID card as well:  □是 Yes  □否 No",
            "",
            "监护人（未满16周岁时填写） Guardian (applicants under 16):",
            f"姓名 Name: {BLANK}    身份号码 ID number: {BLANK}    关系 Relationship: ______",
            "",
            "本人承诺所填信息真实。I confirm that the information above is true.",
            f"申请人签名 Signature: {BLANK}    日期 Date: {BLANK}",
            "",
            "工本费：首次申领、换领20元；丢失补领、损坏换领40元；临时身份证10元。",
            "Fees: first card or renewal 20 yuan; lost or damaged card 40 yuan; temporary ID card 10 yuan.",
        ],
    ),
    "hukou-transfer-form": (
        "户口迁移申请表 / Household registration transfer form",
        "household-transfer-form.pdf",
        "户口迁移申请表 Household registration transfer form",
        [
            "阳光市公安局 Sunshine City Public Security Bureau",
            "",
            "落户类型 Route:  □购房 Home owner  □就业 Employment  □人才 Qualifications  □投靠 Joining family",
            f"申请人姓名 Applicant: {BLANK}    公民身份号码 ID number: {BLANK}",
            f"现户籍地址 Current registered address: {BLANK}{BLANK}",
            f"拟迁入地址 New address in Sunshine City: {BLANK}{BLANK}",
            f"随迁人员 Family members moving with you (name, ID number, relationship): {BLANK}",
            f"{BLANK}{BLANK}{BLANK}",
            "",
            "户主或产权人意见（投靠或入他人户时填写） Consent of the head of household or owner:",
            f"同意 {BLANK} 入户。I agree that the applicant registers at my address.",
            f"签名 Signature: {BLANK}    日期 Date: {BLANK}",
            "",
            f"申请人签名 Applicant's signature: {BLANK}    联系电话 Phone: {BLANK}",
            "本表免费。This form and the transfer are free of charge.",
        ],
    ),
    "criminal-record-form": (
        "无犯罪记录证明申请表 / Application for a certificate of no criminal record",
        "no-criminal-record-application.pdf",
        "无犯罪记录证明申请表 Application for a certificate of no criminal record",
        [
            "阳光市公安局 Sunshine City Public Security Bureau",
            "",
            f"姓名 Name: {BLANK}    公民身份号码 ID number: {BLANK}",
            f"户籍地或居住地 Place of registration or residence: {BLANK}{BLANK}",
            "用途 Purpose:  □入职 Employment  □入学 Study  □出国 Use abroad (国家 country: ________)",
            "               □参军 Military service  □其他 Other: ____________",
            "",
            "委托办理（如适用） Authorised representative (if any):",
            f"受托人姓名 Name: {BLANK}    身份号码 ID number: {BLANK}",
            "本人委托上述人员代为申请无犯罪记录证明。I authorise the person above to apply on my behalf.",
            "",
            f"申请人签名 Signature: {BLANK}    日期 Date: {BLANK}",
            "免费；一般当场出具，需核实的3个工作日内出具。Free; usually issued on the spot, otherwise within 3 "
            "working days.",
        ],
    ),
    "dog-registration-form": (
        "养犬登记申请表 / Dog registration form",
        "dog-registration-form.pdf",
        "养犬登记申请表 Dog registration form",
        [
            "阳光市公安局治安管理支队 Public Order Division, Sunshine City Public Security Bureau",
            "",
            f"犬主姓名 Owner: {BLANK}    公民身份号码 ID number: {BLANK}    电话 Phone: {BLANK}",
            f"饲养地址 Address where the dog is kept: {BLANK}{BLANK}",
            f"犬名 Dog's name: {BLANK}    品种 Breed: {BLANK}    毛色 Colour: ________",
            "性别 Sex:  □公 Male  □母 Female    绝育 Neutered:  □是 Yes  □否 No",
            f"出生年月 Born (month/year): ________    狂犬病免疫证明编号 Rabies certificate no.: {BLANK}",
            f"电子标识号 Microchip number (filled in by staff): {BLANK}",
            "",
            "本人承诺遵守《阳光市养犬管理条例》：出户拴绳、佩戴犬牌、及时清理粪便、每年年检。",
            "I will follow the Sunshine City Dog Regulations: leash and tag outdoors, clean up after my dog, "
            "renew every year.",
            f"签名 Signature: {BLANK}    日期 Date: {BLANK}",
        ],
    ),
    "hotel-permit-form": (
        "特种行业许可证申请表（旅馆业） / Special-trade permit application (accommodation)",
        "special-trade-permit-hotel.pdf",
        "特种行业许可证申请表（旅馆业） Special-trade permit application (accommodation)",
        [
            "阳光市公安局 Sunshine City Public Security Bureau",
            "",
            f"经营者名称 Business name: {BLANK}{BLANK}",
            f"统一社会信用代码 Unified social credit code: {BLANK}",
            f"经营地址 Premises: {BLANK}{BLANK}",
            f"法定代表人或负责人 Legal representative or manager: {BLANK}    电话 Phone: {BLANK}",
            "类型 Type:  □宾馆酒店 Hotel  □招待所 Guesthouse  □经营性民宿 Homestay  □其他 Other",
            "客房数 Rooms: ______    床位数 Beds: ______    监控点位数 CCTV cameras: ______",
            f"治安保卫负责人 Security manager: {BLANK}    电话 Phone: {BLANK}",
            "",
            "随附材料 Attached:  □营业执照 Business licence  □场所产权或租赁证明 Property or lease",
            "  □平面图 Floor plan  □消防安全证明 Fire safety  □治安保卫制度 Security rules",
            "",
            f"申请人签章 Signature and company seal: {BLANK}    日期 Date: {BLANK}",
        ],
    ),
    "q1-statistics": (
        "2026年第一季度警情统计表 / Police statistics, first quarter 2026",
        "police-statistics-2026-q1.pdf",
        "2026年第一季度警情统计表 Police statistics, Q1 2026",
        [
            "阳光市公安局指挥中心 Command Centre, Sunshine City Public Security Bureau",
            "",
            "项目 Item                                   2026年一季度 Q1 2026   同比 Year on year",
            "110接报警情总数 Calls to 110                       86,412                 -3.2%",
            "  其中有效警情 Of which needing police action       31,905                 -4.8%",
            "刑事警情 Criminal cases reported                    2,184                 -11.6%",
            "  电信网络诈骗 Telecom and online fraud               612                 -18.4%",
            "  盗窃 Theft                                        903                  -9.7%",
            "治安警情 Public-order incidents                     6,541                  -2.1%",
            "交通事故警情 Traffic accidents reported              9,872                  +1.3%",
            "救助求助 Requests for help                          8,307                  +5.6%",
            "",
            "电信网络诈骗拦截 Fraud prevention: 紧急止付 Payments stopped 1.86亿元 (186 million yuan); "
            "劝阻群众 People warned 14,209。",
            "数据截至2026年3月31日24时。Figures up to 24:00 on 31 March 2026.",
        ],
    ),
    "marathon-traffic": (
        "2026阳光马拉松交通管制路段及时间 / Sunshine Marathon 2026: closed roads and times",
        "marathon-2026-road-closures.pdf",
        "2026阳光马拉松交通管制路段 Sunshine Marathon 2026 road closures",
        [
            "阳光市公安局交通警察支队 Traffic Police Division",
            "比赛日 Race day: 2026年12月6日（星期日） Sunday 6 December 2026",
            "",
            "05:00—09:30  人民广场及人民路（光明路至文昌路） People's Square and Renmin Road (Guangming Rd to "
            "Wenchang Rd)",
            "06:30—10:30  滨江大道（人民路至沙湾路）双向 Binjiang Avenue, both directions (Renmin Rd to Shawan Rd)",
            "07:00—11:30  沙湾路、湖滨路 Shawan Road and Hubin Road",
            "07:30—13:30  东湖路（东湖公园终点区域） Donghu Road (finish area at Donghu Park)",
            "",
            "管制期间地铁2号线提前至05:30运营并加开班次。Metro Line 2 opens at 05:30 with extra trains.",
            "公交绕行信息见公交集团公告。Bus diversions: see the bus company's notice.",
            "咨询电话 Enquiries: 122",
        ],
    ),
}
