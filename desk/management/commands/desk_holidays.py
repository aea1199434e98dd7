"""Prefill the holiday schedules (Desk settings → Holiday schedules) from the `chinesecalendar`
package for the years it knows and that have no schedule yet; list the years still missing.

    python manage.py desk_holidays            # every year the package knows
    python manage.py desk_holidays --year 2027

A schedule that exists (maybe edited by staff) is never changed. Years the package does not
know yet are entered by staff from the State Council's notice.
"""

from django.core.management.base import BaseCommand

from desk import deadlines


class Command(BaseCommand):
    help = "Create holiday schedules from the chinesecalendar package for years that have none."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="Only this year (repeatable)")

    def handle(self, *args, year=None, **options):
        created = deadlines.import_from_package(year)
        self.stdout.write(f"created holiday schedules: {', '.join(map(str, created)) or 'none'}")
        unknown = sorted(set(year or []) - set(deadlines.package_years()))
        if unknown:
            self.stdout.write(f"the package has no data for {', '.join(map(str, unknown))}: enter it in the admin")
        missing = deadlines.missing_years()
        if missing:
            self.stdout.write(f"no holiday schedule yet for {', '.join(map(str, missing))}")
