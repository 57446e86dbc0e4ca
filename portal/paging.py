"""Windowed pages for long lists: a page of rows and whether another follows, without counting
the whole list.

``WindowPaginator`` reads one row more than a page (``LIMIT per_page + 1``), so a page costs
the same single query whether the list has 60 rows or 60,000; there is no page count, only
*previous* and *next* (``portal/_pages.html``). Use it where the total is not worth a
``COUNT(*)`` over a large table on every load (a reviewer's queue, a round's applications).
"""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.translation import gettext_lazy as _


class WindowPage(Page):
    def __init__(self, object_list, number, paginator, *, has_next):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.number > 1

    def start_index(self):
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self):
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class WindowPaginator(Paginator):
    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(_("That page number is not an integer")) from exc
        if number < 1:
            raise EmptyPage(_("That page number is less than 1"))
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom:bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(_("That page contains no results"))
        return WindowPage(rows[:self.per_page], number, self,
                          has_next=len(rows) > self.per_page)


def window(queryset, request, per_page, *, parameter="page"):
    """The page of ``queryset`` named by ``request.GET[parameter]`` (the first page for a
    missing, unusable or too large number). The page knows its parameter and the rest of the
    query string, so that ``portal/_pages.html`` keeps the other lists' pages and filters."""
    paginator = WindowPaginator(queryset, per_page)
    try:
        page = paginator.page(request.GET.get(parameter) or 1)
    except (PageNotAnInteger, EmptyPage):
        page = paginator.page(1)
    query = request.GET.copy()
    query.pop(parameter, None)
    page.parameter, page.query_string = parameter, query.urlencode()
    return page
