"""An accepted Jeonbuk agreement and its project: the starting point of payments and
settlement. The agreement (``tests/projects``): 400,000,000 won of cost, all software, with
200,000,000 national and 80,000,000 provincial support, 70,000,000 of the contribution in cash;
the agreed supplier 124-81-00998."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from settlement import services
from tests.projects.conftest import awarded, jeonbuk, staff  # noqa: F401 (fixtures)
from tests.projects.test_agreements import accept, agreement_of

SUPPLIER = "1248100998"
OTHER_SUPPLIER = "1208147521"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="record.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture(autouse=True)
def korean():
    """Every test here starts in Korean, whatever an earlier test left active (the test
    client's LocaleMiddleware activates a request's language in the test's thread and nothing
    deactivates it: in CI's full run the follow-up test read an English message)."""
    with translation.override("ko"):
        yield


@pytest.fixture(autouse=True)
def quick_pdfs(monkeypatch):
    """The award notices and agreement PDFs these tests pass through are not what they test:
    a stand-in PDF instead of WeasyPrint's seconds each (the settlement notice's own test
    renders it for real)."""
    from awards import notices
    from projects import documents
    from settlement import notices as settlement_notices

    monkeypatch.setattr(settlement_notices, "render_pdf", notices.render_pdf)
    monkeypatch.setattr(notices, "render_pdf", lambda html: PDF_BYTES)
    monkeypatch.setattr(documents, "render_pdf", lambda html: PDF_BYTES)


@pytest.fixture
def accepted(awarded, django_capture_on_commit_callbacks):  # noqa: F811 (the fixture)
    call, applications, members, run = awarded
    agreement = agreement_of(applications[0])
    accept(agreement, members[0], django_capture_on_commit_callbacks)
    agreement.refresh_from_db()
    return agreement_of(applications[0]), members[0]


@pytest.fixture
def project(accepted):
    agreement, member = accepted
    return services.project_of(agreement)


def deposit(project, user, amount=70_000_000):
    return services.record_deposit(project, amount=amount,
                                   deposited_on=project.agreement.period_start,
                                   upload=pdf(), content_type="application/pdf", user=user)


def invoice_values(agreement, **changes):
    base = {"approval_number": "202503014100001234567890",
            "issued_on": agreement.period_start + timedelta(days=30),
            "supplier_name": "스마트솔루션", "supplier_registration_number": SUPPLIER,
            "cost_item": "software", "kind": "normal", "supply_amount": 300_000_000,
            "vat": 30_000_000, "zero_rated": False}
    base.update(changes)
    return base


def inspect(project, user, decision="passed", **options):
    """Assign an inspector without a conflict and record ``decision``."""
    from tests.factories.reviews import ReviewerProfileFactory

    profile = ReviewerProfileFactory()
    inspection = services.assign_inspector(project, profile, user=user)
    return services.record_inspection(inspection, user=profile.user,
                                      checklist=inspection.checklist, findings="설치 확인",
                                      decision=decision, **options)


def inspect_once(project, user):
    """Pass the final inspection of a reported project (nothing for any other)."""
    from settlement.enums import ProjectStatus
    from settlement.models import Project

    if Project.objects.get(pk=project.pk).status == ProjectStatus.REPORTED:
        inspect(project, user)


CLUSTER_MEMBERS = [("가온정밀", 80_000_000), ("나래금속", 80_000_000), ("다온기계", 80_000_000),
                   ("라온테크", 80_000_000), ("마루산업", 80_000_000)]


def make_cluster(project, members=CLUSTER_MEMBERS):
    """Turn ``project`` (an accepted agreement, nothing paid yet) into a cluster project of the
    cluster call's rules (DOMAIN.md §2.2: national 50%, at most 40,000,000 won per member
    company): its application moves to a cluster track of its call, its award line lists
    ``members`` (name, cost) with each member's support as the award computes it, and the
    agreement's award and support are the members' sums (``projects.services.support_for``)."""
    from decimal import Decimal

    from awards.services import member_results
    from programs.enums import FundingSource, TrackKind
    from programs.models import FundingShare, Track
    from programs.money import compute_support
    from projects.services import track_rules

    agreement = project.agreement
    application = agreement.application
    track = Track.objects.create(call=application.call, kind=TrackKind.CLUSTER,
                                 name="클러스터 참여기업", order=9, total_cap=40_000_000,
                                 min_members=5)
    FundingShare.objects.create(track=track, source=FundingSource.NATIONAL,
                                rate=Decimal("0.50"), per_company_cap=40_000_000)
    rules = track_rules(track)
    parts = [{"company": name, "registration_number": f"{index:010d}"}
             for index, (name, _cost) in enumerate(members, start=1)]
    supports = [compute_support(rules, cost) for _name, cost in members]
    line = agreement.result_line
    line.members = member_results(parts, supports)
    line.save(update_fields=["members"])
    application.track = track
    application.save(update_fields=["track"])
    total = {source: sum(s.shares.get(source, 0) for s in supports)
             for source in ("national", "provincial", "municipal")}
    type(agreement).objects.filter(pk=agreement.pk).update(
        **{f"award_{source}": amount for source, amount in total.items()}, **total)
    project.refresh_from_db()
    project.agreement.refresh_from_db()
    return project
