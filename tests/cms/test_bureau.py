"""The bureau's settings (name, address, switchboard) in the footer of every page, in the page's
language; the demo seeding fills both addresses without overwriting an editor's."""

import pytest
from wagtail.models import Site

from cms import factories
from cms.models import BureauSettings

ZH = "阳光市光明区人民路88号（邮编 518000）"
EN = "88 Renmin Road, Guangming District, Sunshine City 518000"


def footer(client, url):
    html = client.get(url).content.decode()
    return html[html.index('class="site-footer') :]


@pytest.fixture
def bureau(site_tree):
    site = Site.objects.get(is_default_site=True)
    return BureauSettings.objects.create(site=site, address=ZH, address_en=EN, phone="0755-8810 0000")


def test_each_language_shows_its_own_address(client, site_tree, bureau):
    zh = footer(client, site_tree.zh["home"].url)
    en = footer(client, site_tree.en["about"].url)
    assert ZH in zh and EN not in zh
    assert EN in en and ZH not in en


def test_without_an_english_address_english_pages_show_the_chinese_one(client, site_tree, bureau):
    bureau.address_en = ""
    bureau.save()
    assert ZH in footer(client, site_tree.en["home"].url)


def test_seeding_fills_both_addresses_and_keeps_what_an_editor_typed(site_tree):
    site = Site.objects.get(is_default_site=True)
    seeded = factories.ensure_bureau_settings(site)
    assert (seeded.address, seeded.address_en) == (ZH, EN)

    # A database seeded before address_en existed: one bilingual line in `address`.
    BureauSettings.objects.filter(pk=seeded.pk).update(address=factories.OLD_DEMO_ADDRESS, address_en="")
    again = factories.ensure_bureau_settings(site)
    assert (again.address, again.address_en) == (ZH, EN)

    BureauSettings.objects.filter(pk=seeded.pk).update(address="新地址", address_en="New address")
    assert factories.ensure_bureau_settings(site).address_en == "New address"
    assert BureauSettings.objects.get(pk=seeded.pk).address == "新地址"
