from decimal import Decimal

import pytest

from programs.models import Call
from reviews import services
from reviews.enums import ConflictStatus
from reviews.models import Score
from tests.factories.applications import (
    PlanVersionFactory,
    SupplierFactory,
)
from tests.factories.reviews import AssignmentFactory, submitted_review
from tests.permissions import expect_matrix
from tests.reviews.helpers import (
    client_for,
    demo_round,
    points_data,
    reviewable_application,
)

pytestmark = pytest.mark.django_db
D = Decimal


# --- Permission matrix: every URL × every role ------------------------------------------------

REVIEWER_ONLY = {"anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 404,
                 "operator_jn": 404, "reviewer": 200, "other_reviewer": 404, "staff": 404}
STAFF_ONLY = {"anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 404,
              "operator_jn": 404, "reviewer": 404, "other_reviewer": 404, "staff": 200}


def test_permission_matrix_reviewer_queue(all_roles, scenario):
    expect_matrix(all_roles, "/reviews/", {**REVIEWER_ONLY, "other_reviewer": 200})


@pytest.mark.parametrize("path", ["/reviews/{a}/conflict/", "/reviews/{a}/",
                                  "/reviews/{a}/documents/{d}/"])
def test_permission_matrix_reviewer_pages(all_roles, scenario, path):
    _round, application, assignment = scenario
    document = application.documents.get()
    expect_matrix(all_roles, path.format(a=assignment.pk, d=document.pk), REVIEWER_ONLY)


@pytest.mark.parametrize("path", [
    "/manage/reviews/", "/manage/reviews/rounds/{r}/", "/manage/reviews/rounds/{r}/matrix/",
    "/manage/reviews/rounds/{r}/export.csv", "/manage/reviews/rounds/{r}/export.xlsx",
    "/manage/reviews/rounds/{r}/applications/{p}/", "/manage/reviews/assignments/{a}/replace/",
    "/manage/reviews/assignments/{a}/reopen/",
])
def test_permission_matrix_staff_pages(all_roles, scenario, path):
    evaluation_round, application, assignment = scenario
    url = path.format(r=evaluation_round.pk, p=application.pk, a=assignment.pk)
    expect_matrix(all_roles, url, STAFF_ONLY)


@pytest.mark.parametrize("path", ["/manage/reviews/rounds/{r}/mark-scored/",
                                  "/manage/reviews/rounds/{r}/applications/{p}/mark-scored/"])
def test_permission_matrix_staff_actions(all_roles, scenario, path):
    evaluation_round, application, _assignment = scenario
    url = path.format(r=evaluation_round.pk, p=application.pk)
    expect_matrix(all_roles, url, {**STAFF_ONLY, "staff": 302}, method="post")


def test_permission_matrix_conflicted_reviewer_loses_the_application(all_roles, scenario):
    _round, application, assignment = scenario
    services.declare_conflict(assignment, actor=all_roles["reviewer"], reason="전 직장")
    document = application.documents.get()
    for path in (f"/reviews/{assignment.pk}/", f"/reviews/{assignment.pk}/conflict/",
                 f"/reviews/{assignment.pk}/documents/{document.pk}/"):
        expect_matrix(all_roles, path, {**REVIEWER_ONLY, "reviewer": 404})


def test_permission_matrix_released_reviewer_loses_the_application(all_roles, scenario):
    _round, _application, assignment = scenario
    services.release_assignment(assignment, actor=all_roles["staff"])
    expect_matrix(all_roles, f"/reviews/{assignment.pk}/", {**REVIEWER_ONLY, "reviewer": 404})


def test_permission_matrix_reviewer_of_the_suppliers_organisation_gets_404(all_roles):
    evaluation_round = demo_round()
    supplier = SupplierFactory()
    application = reviewable_application(evaluation_round, supplier=supplier)
    profile = all_roles["reviewer"].reviewer_profile
    profile.organisation_registration_number = supplier.registration_number
    profile.save()
    # Assigned before the plan named the supplier: the automatic check still hides it.
    assignment = AssignmentFactory(round=evaluation_round, application=application,
                                   reviewer=profile, conflict=ConflictStatus.NONE)
    expect_matrix(all_roles, f"/reviews/{assignment.pk}/", {**REVIEWER_ONLY, "reviewer": 404})


def test_applications_document_permission_extended_to_the_assigned_reviewer(all_roles, scenario):
    _round, application, assignment = scenario
    document = application.documents.get()
    allowed = {role: bool(user) and user.has_perm("applications.view_document", document)
               for role, user in all_roles.items()}
    assert allowed == {"anonymous": False, "company": False, "other_company": False,
                       "operator_gb": False, "operator_jn": False, "reviewer": True,
                       "other_reviewer": False, "staff": True}


# --- The reviewer's queue and conflict check ---------------------------------------------------

def test_reviewer_queue_lists_only_own_assignments(all_roles, scenario):
    _round, _application, assignment = scenario
    AssignmentFactory(round=assignment.round,
                      reviewer=all_roles["other_reviewer"].reviewer_profile)

    response = client_for(all_roles["reviewer"]).get("/reviews/")

    assert [a.pk for a in response.context["assignments"]] == [assignment.pk]


@pytest.mark.parametrize("count", [1, 3])
def test_reviewer_queue_query_count_is_constant(all_roles, count, django_assert_num_queries):
    evaluation_round = demo_round()
    profile = all_roles["reviewer"].reviewer_profile
    for _ in range(count):
        AssignmentFactory(round=evaluation_round, reviewer=profile)
    client = client_for(all_roles["reviewer"])

    # session, user (the reviewer profile comes with it), the page's ids sorted, its rows
    with django_assert_num_queries(4):
        response = client.get("/reviews/")

    assert len(response.context["assignments"]) == count


def test_conflict_page_shows_company_and_supplier_names(all_roles):
    evaluation_round = demo_round()
    supplier = SupplierFactory(name="공급기업 가나")
    application = reviewable_application(evaluation_round, supplier=supplier)
    assignment = AssignmentFactory(round=evaluation_round, application=application,
                                   reviewer=all_roles["reviewer"].reviewer_profile,
                                   conflict=ConflictStatus.PENDING)

    response = client_for(all_roles["reviewer"]).get(f"/reviews/{assignment.pk}/")
    assert (response.status_code, response["Location"]) == (
        302, f"/reviews/{assignment.pk}/conflict/")
    page = client_for(all_roles["reviewer"]).get(f"/reviews/{assignment.pk}/conflict/")

    assert (page.context["company_name"], page.context["supplier_name"]) == (
        application.company.name, "공급기업 가나")
    assert "장류 제조 기업" not in page.content.decode()


def test_conflict_declared_without_reason_is_refused(all_roles, english):
    evaluation_round = demo_round()
    assignment = AssignmentFactory(round=evaluation_round,
                                   reviewer=all_roles["reviewer"].reviewer_profile,
                                   conflict=ConflictStatus.PENDING)

    response = client_for(all_roles["reviewer"]).post(
        f"/reviews/{assignment.pk}/conflict/", {"answer": "declared", "reason": ""})

    assignment.refresh_from_db()
    assert (response.status_code, response.context["form"].errors, assignment.conflict) == (
        200, {"reason": ["Say what the conflict of interest is."]}, ConflictStatus.PENDING)


def test_conflict_declared_returns_to_the_queue_and_flags_staff(all_roles):
    evaluation_round = demo_round()
    assignment = AssignmentFactory(round=evaluation_round,
                                   reviewer=all_roles["reviewer"].reviewer_profile,
                                   conflict=ConflictStatus.PENDING)
    client = client_for(all_roles["reviewer"])

    response = client.post(f"/reviews/{assignment.pk}/conflict/",
                           {"answer": "declared", "reason": "대표가 친척입니다"})

    assert (response.status_code, response["Location"]) == (302, "/reviews/")
    staff_page = client_for(all_roles["staff"]).get(
        f"/manage/reviews/rounds/{evaluation_round.pk}/")
    assert [a.pk for a in staff_page.context["conflicts"]] == [assignment.pk]
    assert "대표가 친척입니다" in staff_page.content.decode()


def test_conflict_confirmed_opens_the_scoring_page(all_roles):
    evaluation_round = demo_round()
    assignment = AssignmentFactory(round=evaluation_round,
                                   reviewer=all_roles["reviewer"].reviewer_profile,
                                   conflict=ConflictStatus.PENDING)

    response = client_for(all_roles["reviewer"]).post(f"/reviews/{assignment.pk}/conflict/",
                                                      {"answer": "none"})

    assignment.refresh_from_db()
    assert (response["Location"], assignment.conflict) == (f"/reviews/{assignment.pk}/",
                                                           ConflictStatus.NONE)


# --- Scoring ------------------------------------------------------------------------------

def test_score_page_shows_the_latest_plan_version_and_documents(all_roles, scenario):
    _round, application, assignment = scenario
    PlanVersionFactory(application=application, number=2,
                       data={"plan": {"company_overview": "두 번째 제출본"}})

    response = client_for(all_roles["reviewer"]).get(f"/reviews/{assignment.pk}/")

    content = response.content.decode()
    assert response.context["version"].number == 2
    assert "두 번째 제출본" in content
    assert [d.original_name for d in response.context["documents"]] == ["사업자등록증.pdf"]


def test_score_page_does_not_show_other_reviewers_scores(all_roles, scenario):
    evaluation_round, application, assignment = scenario
    other = submitted_review(application, evaluation_round, "77.5")
    Score.objects.filter(assignment=other).update(comment="다른 위원의 의견")

    response = client_for(all_roles["reviewer"]).get(f"/reviews/{assignment.pk}/")

    content = response.content.decode()
    assert "다른 위원의 의견" not in content
    assert "77.5" not in content


def test_score_save_draft_then_submit(all_roles, scenario):
    evaluation_round, _application, assignment = scenario
    client = client_for(all_roles["reviewer"])

    draft = client.post(f"/reviews/{assignment.pk}/",
                        points_data(evaluation_round, ["25.5", "18", "", "", ""],
                                    ["기술 우수", "", "", "", ""]))
    assert (draft.status_code, draft["Location"]) == (302, f"/reviews/{assignment.pk}/")
    page = client.get(f"/reviews/{assignment.pk}/")
    assert page.context["total"] == D("43.5")

    done = client.post(f"/reviews/{assignment.pk}/",
                       points_data(evaluation_round, ["25.5", "18", "17", "16", "8"],
                                   action="submit"))

    assignment.refresh_from_db()
    assert (done["Location"], assignment.is_submitted) == ("/reviews/", True)
    assert sum(Score.objects.filter(assignment=assignment).values_list("points", flat=True)) \
        == D("84.5")


@pytest.mark.parametrize(("value", "message"), [
    ("31", "Give between 0 and 30 points."),
    ("-1", "Give between 0 and 30 points."),
    ("열", "Enter a number of points, such as 17 or 17.5."),
    ("12.3", "Give whole or half points, such as 17 or 17.5."),
])
def test_score_bad_points_rerender_with_the_input_and_save_nothing(all_roles, scenario, value,
                                                                   message, english):
    evaluation_round, _application, assignment = scenario
    first = evaluation_round.criteria.order_by("order").first()

    response = client_for(all_roles["reviewer"]).post(
        f"/reviews/{assignment.pk}/",
        points_data(evaluation_round, [value, "18", "17", "16", "8"], ["좋음"] * 5,
                    action="submit"))

    form = response.context["form"]
    assert (response.status_code, form.errors) == (200, {f"points_{first.pk}": [message]})
    assert form[f"points_{first.pk}"].value() == value
    assert f'value="{value}"' in response.content.decode()
    assignment.refresh_from_db()
    assert (Score.objects.count(), assignment.is_submitted) == (0, False)


def test_score_submit_without_every_criterion_is_refused(all_roles, scenario, english):
    evaluation_round, _application, assignment = scenario
    last = evaluation_round.criteria.order_by("order").last()

    response = client_for(all_roles["reviewer"]).post(
        f"/reviews/{assignment.pk}/",
        points_data(evaluation_round, ["25", "18", "17", "16", ""], action="submit"))

    assert response.context["form"].errors == {
        f"points_{last.pk}": ["Score this criterion before submitting."]}
    assert Score.objects.count() == 0


def test_score_second_submit_and_later_edit_are_refused(all_roles, scenario, english):
    evaluation_round, _application, assignment = scenario
    client = client_for(all_roles["reviewer"])
    client.post(f"/reviews/{assignment.pk}/",
                points_data(evaluation_round, ["25", "18", "17", "16", "8"], action="submit"))

    again = client.post(f"/reviews/{assignment.pk}/",
                        points_data(evaluation_round, ["30", "20", "20", "20", "10"],
                                    action="submit"))
    edit = client.post(f"/reviews/{assignment.pk}/",
                       points_data(evaluation_round, ["1", "1", "1", "1", "1"]))

    for response in (again, edit):
        [error] = response.context["form"].non_field_errors()
        assert (response.status_code, error.startswith("You submitted this review on")) == (
            200, True)
    assert sum(Score.objects.values_list("points", flat=True)) == D(84)


def test_score_page_after_submission_is_read_only(all_roles, scenario):
    evaluation_round, _application, assignment = scenario
    client = client_for(all_roles["reviewer"])
    client.post(f"/reviews/{assignment.pk}/",
                points_data(evaluation_round, ["25", "18", "17", "16", "8"], action="submit"))

    response = client.get(f"/reviews/{assignment.pk}/")

    content = response.content.decode()
    assert content.count(" disabled>") == 10
    assert 'name="submit"' not in content


def test_review_document_download(all_roles, scenario):
    _round, application, assignment = scenario
    document = application.documents.get()

    response = client_for(all_roles["reviewer"]).get(
        f"/reviews/{assignment.pk}/documents/{document.pk}/")

    assert (response.status_code, b"".join(response.streaming_content)) == (200,
                                                                            b"%PDF-1.4 test")


# --- Dashboard ----------------------------------------------------------------------------

def test_dashboard_shows_the_reviewer_queue_counts(all_roles, scenario):
    response = client_for(all_roles["reviewer"]).get("/dashboard/")
    [section] = [s for s in response.context["sections"]
                 if s["template"] == "reviews/_dashboard_reviewer.html"]
    assert (section["conflict_check"], section["in_progress"], section["submitted"]) == (0, 1, 0)


def test_dashboard_shows_staff_review_progress(all_roles, scenario):
    evaluation_round, _application, _assignment = scenario
    response = client_for(all_roles["staff"]).get("/dashboard/")
    [section] = [s for s in response.context["sections"]
                 if s["template"] == "reviews/_dashboard_staff.html"]
    assert [(r.pk, r.assigned, r.submitted) for r in section["rounds"]] == [
        (evaluation_round.pk, 1, 0)]


# --- The rubric in the admin ----------------------------------------------------------------

def admin_round_data(evaluation_round, maxima):
    criteria = list(evaluation_round.criteria.order_by("order"))
    data = {"call": evaluation_round.call_id, "kind": evaluation_round.kind,
            "order": evaluation_round.order, "criteria-TOTAL_FORMS": len(criteria),
            "criteria-INITIAL_FORMS": len(criteria), "criteria-MIN_NUM_FORMS": 0,
            "criteria-MAX_NUM_FORMS": 1000}
    for index, (criterion, points) in enumerate(zip(criteria, maxima, strict=True)):
        data.update({f"criteria-{index}-id": criterion.pk,
                     f"criteria-{index}-round": evaluation_round.pk,
                     f"criteria-{index}-name": criterion.name,
                     f"criteria-{index}-name_en": criterion.name_en,
                     f"criteria-{index}-max_points": points,
                     f"criteria-{index}-order": criterion.order})
    return data


def test_admin_refuses_criteria_not_summing_to_100(all_roles, english):
    evaluation_round = demo_round()
    url = f"/admin/programs/evaluationround/{evaluation_round.pk}/change/"

    response = client_for(all_roles["staff"]).post(
        url, admin_round_data(evaluation_round, [30, 20, 20, 20, 15]))

    assert response.status_code == 200
    assert "these add up to 105" in response.content.decode()
    assert sorted(evaluation_round.criteria.values_list("max_points", flat=True)) == [
        D(10), D(20), D(20), D(20), D(30)]


def test_admin_accepts_criteria_summing_to_100(all_roles):
    evaluation_round = demo_round()
    url = f"/admin/programs/evaluationround/{evaluation_round.pk}/change/"

    response = client_for(all_roles["staff"]).post(
        url, admin_round_data(evaluation_round, [40, 20, 20, 10, 10]))

    assert response.status_code == 302
    assert sorted(evaluation_round.criteria.values_list("max_points", flat=True)) == [
        D(10), D(10), D(20), D(20), D(40)]


def test_admin_rubric_is_read_only_once_a_review_is_submitted(all_roles, scenario):
    evaluation_round, _application, assignment = scenario
    client_for(all_roles["reviewer"]).post(
        f"/reviews/{assignment.pk}/",
        points_data(evaluation_round, ["25", "18", "17", "16", "8"], action="submit"))
    client = client_for(all_roles["staff"])

    change = client.post(f"/admin/programs/evaluationround/{evaluation_round.pk}/change/",
                         admin_round_data(evaluation_round, [40, 20, 20, 10, 10]))
    call_page = client.get(f"/admin/programs/call/{evaluation_round.call_id}/change/")

    assert change.status_code == 403
    bonus_formset = [f for f in call_page.context["inline_admin_formsets"]
                     if f.opts.model.__name__ == "BonusItem"][0]
    assert (bonus_formset.has_add_permission, bonus_formset.has_change_permission,
            bonus_formset.has_delete_permission) == (False, False, False)
    assert Call.objects.get(pk=evaluation_round.call_id).bonus_items.count() == 4
