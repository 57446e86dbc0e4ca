"""``filter_control`` renders a filter form's fields exactly as crispy-bootstrap5 does (label,
classes, selected option, errors), without crispy's templates."""

import re

import pytest
from django.http import QueryDict
from django.template import Context, Template

from companies.selectors import public_suppliers
from companies.supplier_forms import SupplierFilter
from programs.filters import AnnouncementFilter
from programs.selectors import public_announcements
from tests.factories.applications import SupplierFactory

CRISPY = Template("{% load crispy_forms_tags %}"
                  "{% for field in form %}{{ field|as_crispy_field }}{% endfor %}")
PLAIN = Template("{% load portal_forms %}{% for field in form %}{{ field|filter_control }}"
                 "{% endfor %}")


def normalised(html):
    return re.sub(r"\s*([<>])\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("query", ["", "region=GB&status=open&q=%3Cb%3E공고",
                                   "region=ZZ&status=bogus&sector=없음"])
def test_announcement_filter_fields_render_as_crispy_does(demo, query):
    form = AnnouncementFilter(QueryDict(query) if query else None,
                              queryset=public_announcements()).form
    if query:
        form.is_valid()
    assert normalised(PLAIN.render(Context({"form": form}))) == normalised(
        CRISPY.render(Context({"form": form})))


@pytest.mark.parametrize("query", ["", "region=JB&specialty=MES&q=%22x%22",
                                   "region=ZZ&industry=없음"])
def test_supplier_filter_fields_render_as_crispy_does(demo, query):
    SupplierFactory(specialties="MES, ERP", industries="식품")
    form = SupplierFilter(QueryDict(query) if query else None,
                          queryset=public_suppliers()).form
    if query:
        form.is_valid()
    assert normalised(PLAIN.render(Context({"form": form}))) == normalised(
        CRISPY.render(Context({"form": form})))


def test_filter_control_escapes_what_was_typed(demo):
    form = AnnouncementFilter(QueryDict("q=%3Cscript%3E"), queryset=public_announcements()).form
    html = PLAIN.render(Context({"form": form}))
    assert ('value="&lt;script&gt;"' in html, "<script>" in html) == (True, False)


@pytest.mark.parametrize("data", [None, {"code": "x<"}, {"code": "ABCD-EFGH-JKMN"}])
def test_verify_form_renders_as_crispy_does(data):
    from awards.forms import VerifyForm

    form = VerifyForm(data)
    form.is_valid()
    assert normalised(PLAIN.render(Context({"form": form}))) == normalised(
        Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(
            Context({"form": form})))
