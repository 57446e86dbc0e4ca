"""The budget step saves its amounts on their own as the company types, as the text steps do
(issue 11): each amount is parsed as its field parses it (separators, full-width digits, 원),
a bad one is refused with the field's message and nothing is stored, and the step's form asks
for it with the autosave attributes on each amount's wrapper."""

import re

import pytest
from django.urls import reverse

from applications.forms import BudgetForm
from applications.models import BusinessPlan
from tests.applications.test_views import autosave, client_for, text


@pytest.mark.parametrize(("typed", "stored"), [
    ("30000000", 30_000_000),
    ("30,000,000", 30_000_000),
    ("３０，０００，０００원", 30_000_000),
    ("", 0),
])
def test_an_amount_autosaves_as_its_field_reads_it(application, member, typed, stored):
    response = autosave(client_for(member), application, "cost_hardware", typed, 0)
    assert response.status_code == 200
    assert 'name="revision" value="1"' in response.content.decode()
    assert text(response).startswith("Saved automatically at ")
    plan = BusinessPlan.objects.get()
    assert (plan.cost_hardware, plan.revision) == (stored, 1)


def test_the_wrapper_names_the_field_when_htmx_sends_no_trigger_name(application, member):
    software = application.plan.cost_software
    response = client_for(member).post(
        reverse("applications:autosave", args=[application.pk]),
        {"field": "contribution_cash", "contribution_cash": "12,000,000", "revision": 0,
         "cost_software": "5"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    plan = BusinessPlan.objects.get()
    assert (plan.contribution_cash, plan.cost_software) == (12_000_000, software)  # only it


@pytest.mark.parametrize(("typed", "message"), [
    ("삼천만", "Enter an amount in won with digits only, such as 50,000,000."),
    ("-5", "An amount cannot be negative."),
    ("1,000,000,000,001", "An amount may be at most 1,000,000,000,000 won."),
])
def test_a_bad_amount_is_refused_with_the_fields_message(application, member, typed, message):
    before = application.plan.cost_software
    response = autosave(client_for(member), application, "cost_software", typed, 0)
    assert response.status_code == 400
    assert text(response) == message
    plan = BusinessPlan.objects.get()
    assert (plan.cost_software, plan.revision) == (before, 0)


def test_an_amount_on_an_older_revision_is_refused(application, member, colleague):
    autosave(client_for(member), application, "cost_software", "1,000", 0)
    response = autosave(client_for(colleague), application, "cost_software", "2,000", 0)
    assert response.status_code == 409
    assert BusinessPlan.objects.get().cost_software == 1_000


def test_the_budget_step_asks_for_autosave_on_each_amount(application, member):
    html = client_for(member).get(
        reverse("applications:step", args=[application.pk, "budget"])).content.decode()
    url = reverse("applications:autosave", args=[application.pk])
    wrappers = re.findall(r'<div\s+class="col-md-6"([^>]*data-autosave="(\w+)"[^>]*)>', html)
    assert [name for _attrs, name in wrappers] == [
        "cost_software", "cost_hardware", "cost_consulting", "cost_other",
        "contribution_cash", "contribution_in_kind"]
    for attrs, name in wrappers:
        assert f'hx-post="{url}"' in attrs
        assert 'hx-trigger="input changed delay:2s from:find input"' in attrs
        assert f'hx-vals="{{&quot;field&quot;: &quot;{name}&quot;}}"' in attrs
    # The amounts start empty, not "0", and carry the money widget's marker.
    assert re.findall(r'<input type="text" name="(c\w+)"[^>]*data-money=""', html) == [
        "cost_software", "cost_hardware", "cost_consulting", "cost_other",
        "contribution_cash", "contribution_in_kind"]


def test_the_form_has_no_autosave_once_editing_is_closed(application):
    form = BudgetForm(application=application, plan=application.plan, editable=False)
    assert form.amount("cost_software").flat_attrs == ""
