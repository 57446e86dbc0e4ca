"""The settlement notice (made once, through the notices' pipeline, verifiable, downloadable by
the company and staff only), an approval number used in two projects, and the budget page's
figures summed from the ledger with a constant number of queries."""

import subprocess

import pytest
from django.test import Client
from django.utils import translation

from awards import verification
from settlement import services
from settlement.enums import FlagRule, PaymentKind
from settlement.models import Flag, Settlement
from tests.projects.test_agreements import accept, agreement_of

from .conftest import deposit, inspect_once, invoice_values
from .test_settlement import advance, report


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    client.force_login(user)
    return client


def settled(project, member, staff, capture, **invoice):
    advance(project, staff)
    report(project, member, [invoice])
    settlement = services.preview_settlement(project, user=staff)
    with capture(execute=True):
        inspect_once(project, staff)
        services.confirm_settlement(settlement, user=staff)
    return Settlement.objects.get(pk=settlement.pk)


def test_the_settlement_notice_is_a_korean_pdf_made_once(
        project, accepted, staff, django_capture_on_commit_callbacks):
    # The real WeasyPrint renderer (conftest's quick_pdfs keeps it for settlement notices).
    agreement, member = accepted
    settlement = settled(project, member, staff, django_capture_on_commit_callbacks,
                         supply_amount=200_000_000, vat=20_000_000)
    data = settlement.file.open("rb").read()
    assert len(data) > 1000, data[:200]
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                          capture_output=True, check=True).stdout.decode()
    assert "정산 결과 통지서" in text
    assert "200,000,000원" in text
    assert settlement.code in text
    first = (settlement.file.name, settlement.generated_at)
    again = services.generate_settlement_notice(settlement.pk)
    assert (again.file.name, again.generated_at) == first
    with translation.override("ko"):
        facts = dict(verification.find(settlement.code)["facts"])
    assert facts["정산 지원금"] == "140,000,000원"


def test_a_worker_killed_while_making_the_notice_leaves_nothing_and_runs_again_once(
        project, accepted, staff, monkeypatch, django_capture_on_commit_callbacks):
    from settlement import notices

    agreement, member = accepted

    def killed(html):
        raise SystemExit("worker killed")

    monkeypatch.setattr(notices, "render_pdf", killed)
    advance(project, staff)
    report(project, member, [{}])
    settlement = services.preview_settlement(project, user=staff)
    inspect_once(project, staff)
    services.confirm_settlement(settlement, user=staff)
    with pytest.raises(SystemExit):
        services.generate_settlement_notice(settlement.pk)
    settlement.refresh_from_db()
    assert (bool(settlement.file), settlement.generated_at) == (False, None)
    monkeypatch.setattr(notices, "render_pdf", lambda html: b"%PDF-1.4 notice")
    services.generate_settlement_notice(settlement.pk)
    services.generate_settlement_notice(settlement.pk)
    settlement.refresh_from_db()
    assert settlement.file.read() == b"%PDF-1.4 notice"
    from outbox.models import Message

    assert Message.objects.filter(key__startswith=f"settlement-{settlement.pk}-email").count() \
        == 1


def test_the_notice_is_downloaded_by_the_company_and_staff_only(
        project, accepted, staff, role_users, django_capture_on_commit_callbacks):
    agreement, member = accepted
    settled(project, member, staff, django_capture_on_commit_callbacks)
    url = f"/projects/{project.pk}/settlement/notice/"
    assert client_for(member).get(url)["Content-Type"] == "application/pdf"
    assert client_for(staff).get(url).status_code == 200
    assert client_for(role_users["other_company"]).get(url).status_code == 404


def test_an_approval_number_used_in_another_project_is_flagged_in_both(
        awarded, project, accepted, staff, django_capture_on_commit_callbacks):
    call, applications, members, run = awarded
    agreement, member = accepted
    second_agreement = agreement_of(applications[1])
    accept(second_agreement, members[1], django_capture_on_commit_callbacks)
    second = services.project_of(agreement_of(applications[1]))
    report(project, member, [{}])
    draft = services.report_of(second)
    services.add_invoice(draft, invoice_values(second.agreement), user=members[1])
    services.submit_report(draft, user=members[1])
    services.preview_settlement(project, user=staff)
    services.preview_settlement(second, user=staff)
    assert sorted(Flag.objects.values_list("invoice__report__project_id", "rule")) == sorted([
        (project.pk, FlagRule.DUPLICATE), (second.pk, FlagRule.DUPLICATE),
        (second.pk, FlagRule.UNPAID)])


@pytest.mark.parametrize("count", [1, 3])
def test_budget_page_sums_the_ledger_in_constant_queries(
        awarded, staff, count, django_assert_num_queries, django_capture_on_commit_callbacks):
    call, applications, members, run = awarded
    for index in range(count):
        agreement = agreement_of(applications[index])
        accept(agreement, members[index], django_capture_on_commit_callbacks)
        project = services.project_of(agreement_of(applications[index]))
        deposit(project, staff)
        services.confirm_payment(services.prepare_payment(project, PaymentKind.ADVANCE,
                                                          user=staff), user=staff)
    client = client_for(staff)
    with django_assert_num_queries(8):
        response = client.get(f"/manage/projects/calls/{call.pk}/budget/")
    lines = {row.key: (row.awarded, row.agreed, row.paid) for row in
             response.context["budget"]["lines"]}
    assert lines["national"] == (600_000_000, 200_000_000 * count, 140_000_000 * count)
    assert lines["provincial"] == (240_000_000, 80_000_000 * count, 56_000_000 * count)
    with django_assert_num_queries(3):
        calls = client.get("/manage/projects/")
    assert [(c.pk, c.project_count) for c in calls.context["calls"]] == [(call.pk, count)]
