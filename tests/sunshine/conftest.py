"""Fixtures for Sunshine: the desk set-up of tests/desk/test_admin_support.py plus a department
supervisor of the traffic department, and helpers to file, close and rate requests."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from desk import actions
from desk.models import Inquiry
from tests.desk.test_admin_support import _group, _user, make_desk

CST = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def desk(db):
    from desk.choices import GROUP_DUTY

    setup = make_desk()
    setup.lead = _user("lead_traffic", _group(GROUP_DUTY), [setup.traffic])
    setup.traffic.supervisors.add(setup.lead)
    setup.household_lead = _user("lead_household", _group(GROUP_DUTY), [setup.household])
    setup.household.supervisors.add(setup.household_lead)
    return setup


@pytest.fixture
def file_request(desk):
    def file(**overrides):
        data = {
            "kind": "consultation",
            "category": "traffic-fines",
            "subject": "罚单查询",
            "description": "我想查询上周收到的交通罚单。",
            "name": "王五",
            "phone": "13900000000",
            "email": "wang@example.com",
            "lang": "zh-hans",
            "consent": True,
        }
        data.update(overrides)
        return actions.open_inquiry(**data).inquiry

    return file


@pytest.fixture
def closed_request(desk, file_request):
    def make(**overrides):
        inquiry = file_request(**overrides)
        actions.claim(desk.duty, inquiry)
        actions.reply(desk.duty, inquiry, "请到交警大队窗口处理。")
        actions.close(desk.duty, inquiry, "已答复")
        return inquiry

    return make


def at(year, month, day, hour=12, minute=0):
    """An aware datetime in Beijing time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=CST)


def place(inquiry, *, created, first_reply=None, closed=None, due=None, status=None):
    """Move a request in time (statistics tests): plain UPDATE, as the data would be."""
    fields = {"created_at": created, "due_at": due or created + datetime.timedelta(days=5)}
    if first_reply is not None:
        fields["first_reply_at"] = first_reply
    if closed is not None:
        fields["closed_at"] = closed
        fields["status"] = status or "closed"
    elif status:
        fields["status"] = status
    Inquiry.objects.filter(pk=inquiry.pk).update(**fields)
    inquiry.refresh_from_db()
    return inquiry
