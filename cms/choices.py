from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NoticeCategory(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("Announcements")  # 通知公告
    POLICE_REPORT = "police-report", _("Police bulletins")  # 警情通报
    DISCLOSURE = "disclosure", _("Police affairs disclosure")  # 警务公开
    PREVENTION = "prevention", _("Safety tips")  # 防范提示


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class SynonymLanguage(models.TextChoices):
    ZH = "zh-hans", _("Chinese")
    EN = "en", pgettext_lazy("site", "English")
