"""Routing: which department receives an inquiry of a given kind and category.

1. A category about police conduct (Category.is_police_conduct) always goes to the supervision
   (督察) department and makes the inquiry confidential: no other department ever sees it.
2. Otherwise the most specific RoutingRule wins: kind + category, then category alone, then
   kind alone, then the catch-all rule (both empty).
3. Otherwise the default department (Department.is_default), else the first department.
"""

from django.core.exceptions import ImproperlyConfigured

from .models import Department, RoutingRule


class Route:
    def __init__(self, department, confidential):
        self.department = department
        self.confidential = confidential

    def __repr__(self):
        return f"Route({self.department.slug!r}, confidential={self.confidential})"


def supervision_department():
    department = Department.objects.filter(is_supervision=True).order_by("pk").first()
    if department is None:
        raise ImproperlyConfigured("No supervision (督察) department is configured for the duty desk.")
    return department


def route(kind, category):
    """Return the Route (department, confidential flag) for a new inquiry."""
    if category is not None and category.is_police_conduct:
        return Route(supervision_department(), True)
    rules = {
        (rule.kind, rule.category_id): rule
        for rule in RoutingRule.objects.select_related("department").filter(kind__in=[kind, ""])
        if rule.category_id in (None, getattr(category, "pk", None))
    }
    category_id = getattr(category, "pk", None)
    for key in ((kind, category_id), ("", category_id), (kind, None), ("", None)):
        if key in rules:
            return Route(rules[key].department, False)
    department = Department.objects.order_by("-is_default", "pk").first()
    if department is None:
        raise ImproperlyConfigured("No department is configured for the duty desk.")
    return Route(department, False)
