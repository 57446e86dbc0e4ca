"""The pages of payments and settlement: who sees what (404 for anyone else), bad input refused
with its rule named and kept, the payment file, and a constant number of queries for every new
list (1 and 3 items)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from applications.enums import ApplicationStatus
from projects.models import Agreement
from settlement import services
from settlement.enums import PaymentKind
from settlement.models import Project, TaxInvoice
from tests.factories.applications import ApplicationFactory
from tests.factories.awards import AwardRunFactory, ResultLineFactory
from tests.factories.programs import TrackFactory
from tests.permissions import expect_matrix

from .conftest import deposit, pdf


def client_for(user, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def invoice_form(**changes):
    data = {"approval_number": "20250301-41000012-34567890", "issued_on": "",
            "supplier_name": "스마트솔루션", "supplier_registration_number": "124-81-00998",
            "cost_item": "software", "kind": "normal", "supply_amount": "300,000,000",
            "vat": "30,000,000"}
    data.update(changes)
    return data


def test_project_page_shows_the_ledgers_figures_to_the_company(project, accepted, staff):
    agreement, member = accepted
    deposit(project, staff)
    services.confirm_payment(services.prepare_payment(project, PaymentKind.ADVANCE,
                                                      user=staff), user=staff)
    response = client_for(member).get(f"/projects/{project.pk}/")
    assert response.status_code == 200
    rows = {row.source: (row.agreed, row.paid, row.to_pay) for row in response.context["rows"]}
    assert rows == {"national": (200_000_000, 140_000_000, 60_000_000),
                    "provincial": (80_000_000, 56_000_000, 24_000_000)}
    assert response.context["staff"] is False
    assert b'id="deposit-form"' not in response.content


def test_project_pages_are_404_for_anyone_else(project, role_users):
    expect_matrix(role_users, f"/projects/{project.pk}/", {
        "anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 404,
        "operator_jn": 404, "reviewer": 404, "staff": 200})
    expect_matrix(role_users, f"/projects/{project.pk}/settlement/", {
        "anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 404,
        "operator_jn": 404, "reviewer": 404, "staff": 200})


def test_staff_record_a_deposit_then_prepare_and_confirm_the_advance(project, staff):
    client = client_for(staff)
    response = client.post(f"/projects/{project.pk}/deposit/", {
        "amount": "70,000,000", "deposited_on": project.agreement.period_start.isoformat(),
        "file": pdf()})
    assert response.status_code == 302
    response = client.post(f"/projects/{project.pk}/pay/", {"kind": "advance"})
    order = project.orders.get()
    assert response["Location"] == f"/projects/{project.pk}/orders/{order.pk}/"
    page = client.get(response["Location"])
    assert [amount for row, amount in page.context["rows"]] == [140_000_000, 56_000_000]
    assert client.post(response["Location"]).status_code == 302
    order.refresh_from_db()
    assert order.status == "confirmed"


def test_a_deposit_of_ten_to_the_twentieth_is_refused_and_kept(project, staff):
    response = client_for(staff).post(f"/projects/{project.pk}/deposit/", {
        "amount": "100000000000000000000", "deposited_on": "2025-03-01", "file": pdf()})
    assert response.status_code == 400
    form = response.context["deposit_form"]
    assert form.errors["amount"] == [
        "An amount may be at most 1,000,000,000,000 won (1조 원): correct it, please."]
    assert form.data["amount"] == "100000000000000000000"


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"approval_number": "20250301-4100001-34567890"}, "approval_number",
     "An approval number has 24 digits; this one has 23."),
    ({"approval_number": "20250301-4100001A-34567890"}, "approval_number",
     "An approval number has digits only (hyphens are allowed): correct it, please."),
    ({"supplier_registration_number": "124-81-00999"}, "supplier_registration_number",
     "This business registration number is not valid: its check digit does not match."),
    ({"vat": "29,999,998"}, "vat",
     "VAT is 10% of the supply amount (30,000,000 won, within 1 won); 29,999,998 won was "
     "written."),
    ({"supply_amount": "100000000000000000000"}, "supply_amount",
     "An amount may be at most 1,000,000,000,000 won (1조 원): correct it, please."),
    ({"zero_rated": "on"}, "vat", "A zero-rated invoice has no VAT: write 0, please."),
    ({"supply_amount": "-1,000,000", "vat": "-100,000"}, "supply_amount",
     "Only an amended invoice (수정세금계산서) has a negative amount."),
])
def test_bad_invoices_are_refused_clearly_and_nothing_typed_is_lost(
        project, accepted, changes, field, message):
    agreement, member = accepted
    data = invoice_form(issued_on=agreement.period_start.isoformat(), **changes)
    response = client_for(member).post(f"/projects/{project.pk}/report/invoices/", data)
    assert response.status_code == 400
    form = response.context["invoice_form"]
    assert form.errors[field] == [message]
    assert form.data.dict() == data
    assert TaxInvoice.objects.count() == 0


def test_vat_within_one_won_is_accepted(project, accepted):
    agreement, member = accepted
    data = invoice_form(issued_on=agreement.period_start.isoformat(), vat="30,000,001",
                        approval_number="２０２５０３０１－４１００００１２－３４５６７８９０")
    response = client_for(member).post(f"/projects/{project.pk}/report/invoices/", data)
    assert response.status_code == 302, response.context["invoice_form"].errors
    assert TaxInvoice.objects.get().approval_number == "202503014100001234567890"


def test_the_report_autosaves_as_it_is_typed(project, accepted):
    agreement, member = accepted
    client = client_for(member)
    response = client.post(f"/projects/{project.pk}/report/save/",
                           {"revision": "0", "actual_software": "300,000,000",
                            "kpi_productivity": "150", "summary": "MES 구축 완료"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'name="revision" value="1"' in response.content
    project.report.refresh_from_db()
    assert (project.report.actual_costs, project.report.kpis, project.report.summary) == (
        {"software": 300_000_000}, {"productivity": "150"}, "MES 구축 완료")
    stale = client.post(f"/projects/{project.pk}/report/save/",
                        {"revision": "0", "summary": "덮어쓰기"}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409


def test_payment_file_lists_what_to_pay_to_which_account(project, staff):
    deposit(project, staff)
    services.confirm_payment(services.prepare_payment(project, PaymentKind.ADVANCE,
                                                      user=staff), user=staff)
    client = client_for(staff)
    csv = client.get(f"/manage/projects/calls/{project.call_id}/payments.csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ("Order,Confirmed at,Receipt number,Company,Instalment,Funding source,"
                        "Amount (won),Bank,Account number,Account holder")
    assert [line.split(",")[4:9] for line in lines[1:]] == [
        ["Advance", "National (MSS)", "140000000", "전북은행", "1021-01-234567"],
        ["Advance", "Provincial", "56000000", "전북은행", "1021-01-234567"]]
    xlsx = client.get(f"/manage/projects/calls/{project.call_id}/payments.xlsx")
    import io

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        140_000_000, 56_000_000]
    assert client.get(f"/manage/projects/calls/{project.call_id}/payments.pdf"
                      ).status_code == 404


# --- Query counts -------------------------------------------------------------------------

def make_project(track, staff):
    application = ApplicationFactory(track=track, status=ApplicationStatus.AGREEMENT,
                                     receipt_number=None)
    run = AwardRunFactory(call=application.call, status="confirmed", confirmed_by=staff,
                          confirmed_at=timezone.now(), inputs_hash="0" * 64)
    line = ResultLineFactory(run=run, application=application)
    now = timezone.now()
    agreement = Agreement.objects.create(
        application=application, result_line=line, award_provincial=30_000_000,
        provincial=30_000_000, noticed_at=now, deadline=now + timedelta(days=10),
        cost_software=100_000_000, contribution_cash=40_000_000)
    return Project.objects.create(agreement=agreement, call=application.call)


@pytest.mark.parametrize("count", [1, 3])
def test_call_projects_query_count_is_constant(db, role_users, count,
                                               django_assert_num_queries):
    staff = role_users["staff"]
    track = TrackFactory()
    for _ in range(count):
        make_project(track, staff)
    client = client_for(staff)
    with django_assert_num_queries(6):
        response = client.get(f"/manage/projects/calls/{track.call_id}/")
    assert len(response.context["projects"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_project_page_query_count_is_constant(db, role_users, count,
                                              django_assert_num_queries):
    staff = role_users["staff"]
    project = make_project(TrackFactory(), staff)
    for index in range(count):
        services.record_deposit(project, amount=1_000_000 + index, deposited_on=timezone
                                .localdate(), upload=pdf(), content_type="application/pdf",
                                user=staff)
    client = client_for(staff)
    with django_assert_num_queries(10):
        response = client.get(f"/projects/{project.pk}/")
    assert response.context["figures"].deposited == sum(1_000_000 + i for i in range(count))


def test_staff_assign_an_inspector_who_records_a_pass(project, accepted, staff):
    from tests.factories.reviews import ReviewerProfileFactory

    from .test_settlement import report

    agreement, member = accepted
    report(project, member, [{}])
    profile = ReviewerProfileFactory()
    client = client_for(staff)
    assert client.get(f"/projects/{project.pk}/settlement/").status_code == 200
    response = client.post(f"/projects/{project.pk}/settlement/inspector/",
                           {"inspector": profile.pk})
    assert response.status_code == 302
    inspection = project.inspections.get()
    inspector = client_for(profile.user)
    assert inspector.get("/inspections/").context["inspections"] == [inspection]
    page = inspector.get(f"/inspections/{inspection.pk}/")
    assert page.status_code == 200
    response = inspector.post(f"/inspections/{inspection.pk}/", {
        "item-0": "on", "note-0": "정상 작동", "findings": "설치 및 기능 확인",
        "decision": "passed"})
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert (inspection.status, inspection.checklist[0]["ok"], inspection.checklist[0]["note"]
            ) == ("passed", True, "정상 작동")
    assert client_for(ReviewerProfileFactory().user).get(
        f"/inspections/{inspection.pk}/").status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_inspection_list_query_count_is_constant(db, role_users, count,
                                                 django_assert_num_queries):
    from settlement.models import Inspection
    from tests.factories.reviews import ReviewerProfileFactory

    staff = role_users["staff"]
    profile = ReviewerProfileFactory()
    track = TrackFactory()
    for _ in range(count):
        Inspection.objects.create(project=make_project(track, staff), inspector=profile,
                                  assigned_by=staff)
    client = client_for(profile.user)
    with django_assert_num_queries(3):
        response = client.get("/inspections/")
    assert len(response.context["inspections"]) == count
