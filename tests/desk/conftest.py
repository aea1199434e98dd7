"""Fixtures for the desk tests: the demo configuration (departments, categories, routing rules,
time limits) and staff users in the real groups."""

import pytest
from django.contrib.auth.models import Group, User

from desk import demo
from desk.choices import GROUP_DUTY, GROUP_EDITORS, GROUP_SUPERVISORS
from desk.models import Department


@pytest.fixture
def desk_config(db):
    departments, categories = demo.seed_configuration()
    return {"departments": departments, "categories": categories}


@pytest.fixture
def departments(desk_config):
    return desk_config["departments"]


def make_user(username, group, departments=()):
    user = User.objects.create_user(username, f"{username}@police.example", "pw-123456")
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    for department in departments:
        department.members.add(user)
    return user


@pytest.fixture
def duty(departments):
    """A Duty officer of the general and household departments."""
    return make_user("duty1", GROUP_DUTY, [departments["general"], departments["household"]])


@pytest.fixture
def traffic_duty(departments):
    return make_user("traffic1", GROUP_DUTY, [departments["traffic"]])


@pytest.fixture
def supervision_duty(departments):
    return make_user("dc1", GROUP_DUTY, [departments["supervision"]])


@pytest.fixture
def supervisor(departments):
    return make_user("super1", GROUP_SUPERVISORS)


@pytest.fixture
def editor(departments):
    return make_user("editor1", GROUP_EDITORS)


@pytest.fixture
def file_inquiry(desk_config):
    """File an inquiry through the real action; keyword overrides."""
    from desk import actions

    def file(**overrides):
        data = {
            "kind": "consultation",
            "category": "id-card",
            "subject": "补办身份证",
            "description": "身份证丢了，怎么补办？",
            "name": "张三",
            "phone": "13800000000",
            "email": "zhang@example.com",
            "lang": "zh-hans",
            "consent": True,
        }
        data.update(overrides)
        return actions.open_inquiry(**data)

    return file


@pytest.fixture
def general(departments) -> Department:
    return departments["general"]
