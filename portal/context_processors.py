from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Always visible on every public page (header), in this order.
EMERGENCY_NUMBERS = [
    ("110", _("Police")),
    ("119", _("Fire")),
    ("120", _("Ambulance")),
    ("122", _("Traffic accidents")),
    ("96110", _("Anti-fraud")),
    ("12389", _("Complaints about police conduct")),
]


def portal(request):
    return {"EMERGENCY_NUMBERS": EMERGENCY_NUMBERS, "DEBUG": settings.DEBUG}
