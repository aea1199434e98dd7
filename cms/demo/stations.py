"""Five police stations (派出所) of Sunshine City with their opening hours.

`hours` rows are (weekday 0=Monday, opens, closes); several rows on a day make a split day.
`closed` lists weekdays shown as "closed all day".
"""

# ruff: noqa: E501 -- long Chinese prose strings (ruff counts each CJK character as two columns)

import datetime as dt

T = dt.time

MON_FRI = range(5)


MORNING = (T(9, 0), T(12, 0))
AFTERNOON = (T(13, 30), T(17, 0))


def split_days(days, morning=MORNING, afternoon=AFTERNOON):
    """Rows for days with a lunch break (default 09:00–12:00 and 13:30–17:00)."""
    rows = []
    for day in days:
        rows.append((day, *morning))
        rows.append((day, *afternoon))
    return rows


STATIONS = [
    {
        "slug": "guangming",
        "phone": "0755-8810 1101",
        "latitude": "22.543210",
        "longitude": "114.057860",
        # Weekdays with a lunch break, and a Saturday-morning household-registration window.
        "hours": [*split_days(MON_FRI), (5, T(9, 0), T(12, 0))],
        "closed": [6],
        "zh": {
            "title": "光明派出所",
            "address": "阳光市光明区人民路102号（地铁2号线人民广场站C出口向东200米）",
            "jurisdiction": "光明街道、人民路街道全域，含光明、人民、新华、文昌、青年路5个社区。",
        },
        "en": {
            "title": "Guangming Police Station",
            "address": "102 Renmin Road, Guangming District (Metro Line 2, People's Square station, exit C, "
            "200 m east)",
            "jurisdiction": "Guangming and Renmin Road sub-districts: the Guangming, Renmin, Xinhua, Wenchang and "
            "Qingnian Road communities.",
        },
    },
    {
        "slug": "donghu",
        "phone": "0755-8810 1102",
        "latitude": "22.551870",
        "longitude": "114.112340",
        # The bureau's 24-hour station: reports and urgent ID documents at any time.
        "hours": [(day, T(0, 0), T(23, 59)) for day in range(7)],
        "closed": [],
        "zh": {
            "title": "东湖派出所（24小时服务）",
            "address": "阳光市东湖区东湖路1号",
            "jurisdiction": "东湖街道、湖滨街道，含东湖公园、市火车站及站前广场。全天24小时受理报警、报案和临时身份证申请。",
        },
        "en": {
            "title": "Donghu Police Station (open 24 hours)",
            "address": "1 Donghu Road, Donghu District",
            "jurisdiction": "Donghu and Hubin sub-districts, including Donghu Park, the city railway station and "
            "its forecourt. Crime reports and temporary ID card applications are taken around the clock.",
        },
    },
    {
        "slug": "binjiang",
        "phone": "0755-8810 1103",
        "latitude": "22.521450",
        "longitude": "114.031200",
        "hours": split_days(MON_FRI, (T(8, 30), T(12, 0)), (T(14, 0), T(17, 30))),
        "closed": [5, 6],
        "zh": {
            "title": "滨江派出所",
            "address": "阳光市光明区滨江大道358号滨江政务服务中心一楼",
            "jurisdiction": "滨江街道、沙湾街道，含滨江新城、沙湾工业园和阳光大学城。",
        },
        "en": {
            "title": "Binjiang Police Station",
            "address": "Ground floor, Binjiang Government Services Centre, 358 Binjiang Avenue, Guangming District",
            "jurisdiction": "Binjiang and Shawan sub-districts: Binjiang New Town, Shawan Industrial Park and "
            "Sunshine University Town.",
        },
    },
    {
        "slug": "xingang",
        "phone": "0755-8810 1104",
        "latitude": "22.496730",
        "longitude": "113.921580",
        # Also hosts a traffic-police service point (licences, registrations, fines).
        "hours": [*split_days(MON_FRI), (5, T(9, 0), T(12, 0)), (6, T(9, 0), T(12, 0))],
        "closed": [],
        "zh": {
            "title": "新港派出所（含交警服务站）",
            "address": "阳光市新港区港城大道66号",
            "jurisdiction": "新港街道、海湾街道和新港物流园区。所内设交警服务站，可办理驾驶证换证补证、交通违法处理。",
        },
        "en": {
            "title": "Xingang Police Station (with traffic police service point)",
            "address": "66 Gangcheng Avenue, Xingang District",
            "jurisdiction": "Xingang and Haiwan sub-districts and the Xingang Logistics Park. The traffic police "
            "service point inside the station renews and replaces driving licences and handles traffic fines.",
        },
    },
    {
        "slug": "taoyuan",
        "phone": "0755-8810 1105",
        "latitude": "22.612480",
        "longitude": "114.008910",
        "hours": split_days(MON_FRI),
        "closed": [5, 6],
        "zh": {
            "title": "桃源派出所",
            "address": "阳光市桃源区桃源镇府前街8号",
            "jurisdiction": "桃源镇、石岭镇及所辖18个行政村。",
        },
        "en": {
            "title": "Taoyuan Police Station",
            "address": "8 Fuqian Street, Taoyuan Town, Taoyuan District",
            "jurisdiction": "Taoyuan and Shiling towns and their 18 villages.",
        },
    },
]
