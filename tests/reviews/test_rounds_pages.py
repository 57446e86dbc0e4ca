"""Issue 14 item 1, the staff's pages: the rounds' weights and pass rules, who passes on (before
closing: what closing would decide; after: what it decided), exemptions, closing a round and
opening the next; their query counts stay constant whatever the number of applications."""

from decimal import Decimal

import pytest

from applications.enums import ApplicationStatus
from reviews.enums import PassRule
from reviews.models import RoundExemption, RoundResult
from tests.permissions import expect_matrix
from tests.reviews.helpers import client_for
from tests.reviews.test_rounds import scored, two_rounds

pytestmark = pytest.mark.django_db
D = Decimal


def page(client, evaluation_round):
    return client.get(f"/manage/reviews/rounds/{evaluation_round.pk}/rounds/")


STAFF_ONLY = {"anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 404,
              "operator_jn": 404, "reviewer": 404, "other_reviewer": 404, "staff": 200}


def test_only_staff_see_the_rounds_page(all_roles):
    _call, documents, *_rest = two_rounds()
    expect_matrix(all_roles, f"/manage/reviews/rounds/{documents.pk}/rounds/", STAFF_ONLY)


def test_only_staff_close_a_round(all_roles):
    _call, documents, _presentation, _panel, tracks = two_rounds()
    scored(tracks[0], documents, (80,))
    expect_matrix(all_roles, f"/manage/reviews/rounds/{documents.pk}/close/",
                  {**STAFF_ONLY, "staff": 302}, method="post")
    assert RoundResult.objects.count() == 1  # staff's, once


def test_the_page_shows_what_closing_would_decide_then_what_it_decided(all_roles):
    call, documents, presentation, _panel, tracks = two_rounds()
    high = scored(tracks[0], documents, (80, 70))
    low = scored(tracks[0], documents, (50,))
    client = client_for(all_roles["staff"])
    body = page(client, documents).content.decode()
    assert "What closing the round now would decide." in body
    assert f'data-application="{high.pk}" data-passed="yes" data-rule="met"' in body
    assert f'data-application="{low.pk}" data-passed="no" data-rule="below_mark"' in body
    assert "Below the pass mark" in body

    response = client.post(f"/manage/reviews/rounds/{documents.pk}/close/", follow=True)
    assert "The round is closed: 1 of 2 applications pass on." in response.content.decode()
    assert sorted(RoundResult.objects.values_list("application_id", "passed", "rule")) == \
        sorted([(high.pk, True, PassRule.MET), (low.pk, False, PassRule.BELOW_MARK)])
    body = page(client, documents).content.decode()
    assert "Closed on" in body and 'id="open-next"' in body

    response = client.post(f"/manage/reviews/rounds/{documents.pk}/open-next/")
    assert response.status_code == 302
    assert response["Location"] == f"/manage/reviews/rounds/{presentation.pk}/"
    high.refresh_from_db()
    low.refresh_from_db()
    assert (high.status, low.status) == (ApplicationStatus.UNDER_REVIEW,
                                         ApplicationStatus.NOT_SELECTED)


def test_the_plan_form_refuses_weights_not_adding_up_to_100(all_roles):
    call, documents, presentation, _panel, _tracks = two_rounds()
    response = client_for(all_roles["staff"]).post(
        f"/manage/reviews/rounds/{documents.pk}/rounds/",
        {f"weight_{documents.pk}": "50", f"pass_mark_{documents.pk}": "60",
         f"pass_multiple_{documents.pk}": "0.9", f"weight_{presentation.pk}": "60",
         f"pass_mark_{presentation.pk}": "", f"pass_multiple_{presentation.pk}": ""})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {f"pass_multiple_{documents.pk}": ["The pass multiple must be at "
                                                              "least 1."],
                           "__all__": ["The rounds' weights add up to 110%; they must add up "
                                       "to 100%."]}
    documents.refresh_from_db()
    assert (documents.weight, documents.pass_multiple) == (40, None)


def test_the_plan_form_saves_both_rounds(all_roles):
    call, documents, presentation, _panel, _tracks = two_rounds()
    response = client_for(all_roles["staff"]).post(
        f"/manage/reviews/rounds/{documents.pk}/rounds/",
        {f"weight_{documents.pk}": "30", f"pass_mark_{documents.pk}": "65",
         f"pass_multiple_{documents.pk}": "1.5", f"weight_{presentation.pk}": "70",
         f"pass_mark_{presentation.pk}": "", f"pass_multiple_{presentation.pk}": ""})
    assert response.status_code == 302
    documents.refresh_from_db()
    presentation.refresh_from_db()
    assert [(r.weight, r.pass_mark, r.pass_multiple) for r in (documents, presentation)] == [
        (30, D("65.00"), D("1.50")), (70, None, None)]


def test_exempting_by_receipt_number(all_roles):
    call, documents, _presentation, _panel, tracks = two_rounds()
    app = scored(tracks[0], documents, (), status=ApplicationStatus.ELIGIBLE)
    client = client_for(all_roles["staff"])
    url = f"/manage/reviews/rounds/{documents.pk}/exempt/"
    response = client.post(url, {"receipt_number": "2025-GB-99999", "reason": "면제"})
    assert response.status_code == 200
    assert response.context["exemption_form"].errors == {
        "receipt_number": ["No application of this call has that receipt number."]}
    response = client.post(url, {"receipt_number": app.receipt_number, "reason": ""})
    assert response.context["exemption_form"].errors == {
        "reason": ["Give the reason for the exemption."]}
    response = client.post(url, {"receipt_number": app.receipt_number,
                                 "reason": "2025 제도개선 면제"}, follow=True)
    assert f"{app} is exempt from" in response.content.decode()
    exemption = RoundExemption.objects.get()
    assert (exemption.application_id, exemption.actor, exemption.reason) == (
        app.pk, all_roles["staff"], "2025 제도개선 면제")


@pytest.mark.parametrize("count", [1, 3])
def test_rounds_page_query_count_is_constant(all_roles, count, django_assert_num_queries):
    call, documents, _presentation, _panel, tracks = two_rounds()
    for index in range(count):
        scored(tracks[index % 2], documents, (70 + index, 60))
    exempt = scored(tracks[0], documents, (), status=ApplicationStatus.ELIGIBLE)
    RoundExemption.objects.create(round=documents, application=exempt, reason="면제")
    client = client_for(all_roles["staff"])
    client.get("/")
    # session, user, round, the call's rounds, entrants, exemptions (pass-on), the round's
    # reviews' totals (with its first criterion's points), the applications' facts, the bonus
    # points, the exemptions listed
    with django_assert_num_queries(10):
        response = page(client, documents)
    assert len(response.context["pass_on"].decisions) == count + 1


@pytest.mark.parametrize("count", [1, 3])
def test_closed_rounds_page_query_count_is_constant(all_roles, count,
                                                    django_assert_num_queries):
    from reviews import round_services

    call, documents, _presentation, _panel, tracks = two_rounds()
    for index in range(count):
        scored(tracks[index % 2], documents, (70 + index, 60))
    round_services.close_round(documents, actor=all_roles["staff"])
    client = client_for(all_roles["staff"])
    client.get("/")
    # session, user, round (with its closer), the call's rounds, the stored results, the
    # exemptions listed
    with django_assert_num_queries(7):
        response = page(client, documents)
    assert len(response.context["results"]) == count


def test_the_export_of_a_two_round_call_carries_the_round_scores(all_roles, english):
    from tests.reviews.test_rounds import finish_presentation

    staff = all_roles["staff"]
    call, documents, presentation, panel, tracks = two_rounds()
    kept = scored(tracks[0], documents, (70, 70.5, 70.5))   # 70.33
    stopped = scored(tracks[0], documents, (50,))
    finish_presentation(documents, presentation, panel, staff, {kept: (80, 80.5, 80.5)})
    client = client_for(staff)
    lines = client.get(f"/manage/reviews/rounds/{documents.pk}/export.csv").getvalue() \
        .decode("utf-8-sig").splitlines()
    assert lines[0].endswith(",Disagreement,Document review score,Presentation score,"
                             "Weighted final score,Weighted rank,Passes on,Rule that decided")
    rows = {line.split(",")[0]: line for line in lines[1:]}
    # The document round's export: its stored score; the presentation round is not closed.
    assert rows[kept.receipt_number].endswith(",70.33,,,,Yes,Meets the pass rule: passes on")
    assert rows[stopped.receipt_number].endswith(",50.00,,,,No,Below the pass mark")
    lines = client.get(f"/manage/reviews/rounds/{presentation.pk}/export.csv").getvalue() \
        .decode("utf-8-sig").splitlines()
    # 0.4 × 70.33 + 0.6 × 80.33 = 76.33, first in its track; no pass-on from the last.
    assert lines[1].startswith(kept.receipt_number)
    assert lines[1].endswith(",70.33,80.33,76.33,1,,")
    assert len(lines) == 2


def test_a_one_round_export_is_unchanged(all_roles, english):
    from reviews import exports

    _call, documents, presentation, _panel, _tracks = two_rounds()
    presentation.delete()
    assert exports.round_columns(documents).header == []
