"""The README's demo company account shows a submitted application right after loading."""

import io

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts import demo as accounts_demo
from applications import demo as applications_demo
from applications.enums import ApplicationStatus
from applications.models import Application, PlanVersion
from companies.models import Company
from portal import demo as portal_demo
from portal.models import User


def load_all():
    portal_demo.load_accounts()
    applications_demo.load()
    accounts_demo.load()  # the accounts' consent, as load_demo ends


def test_demo_company_has_a_submitted_gyeongbuk_basic_application(demo):
    load_all()
    company = Company.objects.get(registration_number="1248100998")
    application = Application.objects.get(company=company)
    version = PlanVersion.objects.get(application=application)
    assert (company.region.code, company.ksic_code, company.is_sme,
            company.registration_number_display) == ("GB", "C10", True, "124-81-00998")
    assert (application.call.code, application.track.kind, application.status,
            application.receipt_number) == ("2025-GB", "basic", ApplicationStatus.SUBMITTED,
                                            "2025-GB-0001")
    assert (version.number, version.total_cost, version.requested_support) == (
        1, 90_000_000, 54_000_000)
    assert sorted(application.documents.values_list("document_type__code", flat=True)) == [
        "business-registration", "factory-registration", "financial-statements",
        "sme-confirmation"]
    assert User.objects.get(email="company@demo.smartfactory.kr").membership.company == company


def test_demo_loader_is_idempotent(demo):
    load_all()
    load_all()
    assert (Company.objects.filter(registration_number="1248100998").count(),
            Application.objects.count(), PlanVersion.objects.count()) == (1, 1, 1)


def test_demo_account_dashboard_shows_the_receipt_number(demo):
    load_all()
    client = Client()
    client.force_login(User.objects.get(email="company@demo.smartfactory.kr"))
    html = client.get(reverse("dashboard")).content.decode()
    assert "2025-GB-0001" in html


def test_load_demo_command_runs_the_applications_loader(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    assert Application.objects.get(company__registration_number="1248100998").receipt_number \
        == "2025-GB-0001"
