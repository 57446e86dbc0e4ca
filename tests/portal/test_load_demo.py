"""``manage.py load_demo``: every seed figure of DOMAIN.md §2 exact, demo accounts that sign
in, idempotent, and no accounts when DEBUG is off."""

import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.apps import apps
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from portal.demo import ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET, TWO_FACTOR_ACCOUNTS
from portal.models import User
from programs import demo as programs_demo
from programs.enums import AnnouncementStatus, CallStatus, TrackKind
from programs.models import (
    Announcement,
    BudgetLine,
    Call,
    Event,
    FundingShare,
    Programme,
    Region,
    Track,
)

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
NAT, PROV, MUNI = "national", "provincial", "municipal"
D = Decimal

# DOMAIN.md §2: call → total, budget lines.
BUDGETS = {
    "2025-GB": (4_000_000_000, {NAT: 2_000_000_000, PROV: 1_000_000_000, MUNI: 1_000_000_000}),
    "2025-JN": (5_750_000_000, {NAT: 2_000_000_000, PROV: 1_875_000_000, MUNI: 1_875_000_000}),
    "2025-JB": (6_700_000_000, {NAT: 2_000_000_000, PROV: 2_350_000_000, MUNI: 2_350_000_000}),
    "2025-CL": (3_000_000_000, {NAT: 3_000_000_000}),
}
# DOMAIN.md §2: tracks in allocation order: kind, target, max cost, shares, total cap.
ADVANCED = {NAT: (D("0.5"), 200_000_000), PROV: (D("0.15"), None), MUNI: (D("0.15"), None)}
BASIC = {PROV: (D("0.3"), None), MUNI: (D("0.3"), None)}
TRACKS = {
    "2025-GB": [(TrackKind.ADVANCED, 10, 400_000_000, ADVANCED, None),
                (TrackKind.BASIC, 40, 100_000_000, BASIC, 70_000_000)],
    "2025-JN": [(TrackKind.ADVANCED, 10, 400_000_000, ADVANCED, None),
                (TrackKind.BASIC, 30, 100_000_000, BASIC, 70_000_000),
                (TrackKind.ROBOTS, 5, 200_000_000,
                 {PROV: (D("0.25"), None), MUNI: (D("0.25"), None)}, 100_000_000)],
    "2025-JB": [(TrackKind.ADVANCED, 20, 400_000_000,
                 {NAT: (D("0.5"), 200_000_000), PROV: (D("0.2"), 80_000_000)}, None),
                (TrackKind.BASIC, 15, 100_000_000, BASIC, 70_000_000)],
    "2025-CL": [(TrackKind.CLUSTER, None, None, {NAT: (D("0.5"), 40_000_000)}, 40_000_000)],
}
LINKED = {
    "2025-GB": ["협력 네트워크", "기술 컨설팅", "인증 평가", "정책자금", "마케팅",
                "수출 역량 강화"],
    "2025-JN": ["제조 로봇·장비 지원"],
    "2025-JB": ["기술사업화", "신제품 개발", "마케팅", "수출 인증", "스마트 HACCP 교육·컨설팅"],
    "2025-CL": [],
}


@pytest.fixture
def loaded(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def snapshot():
    """Every row of the programs app and the accounts, serialised."""
    models = [*apps.get_app_config("programs").get_models(), User, EmailAddress]
    return {m._meta.label: serializers.serialize("json", m._default_manager.order_by("pk"))
            for m in models}


def test_demo_call_totals_exact(loaded):
    totals = dict(Call.objects.values_list("code", "total_budget"))
    assert totals == {code: total for code, (total, _) in BUDGETS.items()}


def test_demo_budget_lines_exact_and_cover_each_total(loaded):
    for code, (total, lines) in BUDGETS.items():
        stored = dict(BudgetLine.objects.filter(call__code=code).values_list("source", "amount"))
        assert stored == lines
        assert sum(stored.values()) == total


def test_demo_tracks_exact(loaded):
    for code, expected in TRACKS.items():
        tracks = Track.objects.filter(call__code=code).order_by("order")
        actual = [
            (t.kind, t.target_count, t.max_project_cost,
             {s.source: (s.rate.normalize(), s.per_company_cap) for s in t.shares.all()},
             t.total_cap)
            for t in tracks
        ]
        normalised = [(k, n, m, {s: (r.normalize(), c) for s, (r, c) in shares.items()}, cap)
                      for k, n, m, shares, cap in expected]
        assert actual == normalised, code
        assert [t.order for t in tracks] == list(range(1, len(expected) + 1))


def test_demo_cluster_track_needs_five_members(loaded):
    assert Track.objects.get(call__code="2025-CL").min_members == 5


def test_demo_targets_per_region(loaded):
    targets = {code: sum(t.target_count for t in Track.objects.filter(call__code=code))
               for code in ("2025-GB", "2025-JN", "2025-JB")}
    # Gyeongbuk 50 factories; Jeonnam 40 + 5 robots-and-equipment companies; Jeonbuk 35 plants.
    assert targets == {"2025-GB": 50, "2025-JN": 45, "2025-JB": 35}


def test_demo_regional_programme_sums(loaded):
    regional = BudgetLine.objects.filter(call__programme__code="regional-2025")
    national = regional.filter(source=NAT).aggregate(s=Sum("amount"))["s"]
    local = regional.exclude(source=NAT).aggregate(s=Sum("amount"))["s"]
    grand = Call.objects.filter(programme__code="regional-2025").aggregate(
        s=Sum("total_budget"))["s"]
    assert (national, local, national + local, grand) == (
        6_000_000_000, 10_450_000_000, 16_450_000_000, 16_450_000_000)


def test_demo_regions_sectors_and_agencies(loaded):
    calls = {c.code: (c.region.code if c.region else None, c.sector, c.ksic_codes)
             for c in Call.objects.select_related("region")}
    assert calls["2025-GB"] == ("GB", "식품제조업", ["C10", "C11"])
    assert calls["2025-JN"] == ("JN", "식품제조업", ["C10", "C11"])
    assert calls["2025-JB"] == ("JB", "농생명바이오", ["C10", "C11", "C20", "C21"])
    assert calls["2025-CL"][0] is None
    assert list(Region.objects.values_list("code", "name", "agency")) == [
        ("GB", "경상북도", "경북테크노파크"), ("JB", "전북특별자치도", "전북테크노파크"),
        ("JN", "전라남도", "전남테크노파크")]
    assert list(Programme.objects.values_list("code", "ministry")) == [
        ("cluster-2025", "중소벤처기업부"), ("regional-2025", "중소벤처기업부")]


def test_demo_call_settings(loaded):
    assert set(Call.objects.values_list("rounding_unit", "min_cash_share", "cutoff_score")) == {
        (1000, Decimal("0.5000"), Decimal("70.00"))}


def test_demo_linked_programmes(loaded):
    for code, names in LINKED.items():
        call = Call.objects.get(code=code)
        assert list(call.linked_programmes.values_list("name", flat=True)) == names


def test_demo_information_session_on_14_august(loaded):
    event = Event.objects.get()
    assert (event.call.code, event.title, event.location) == (
        "2025-CL", "사업 설명회", "대한상공회의소 본관(서울)")
    assert event.starts_at == datetime(2025, 8, 14, 14, 0, tzinfo=SEOUL)


def test_demo_published_announcement_per_call(loaded):
    published = Announcement.objects.filter(status=AnnouncementStatus.PUBLISHED)
    assert sorted(published.values_list("call__code", flat=True)) == [
        "2025-CL", "2025-GB", "2025-JB", "2025-JN"]
    assert Announcement.objects.count() == 4


def test_demo_calls_open_today(loaded):
    assert {c.status() for c in Call.objects.all()} == {CallStatus.OPEN}


def test_demo_accounts_for_every_role_sign_in(loaded):
    users = {u.email: u for u in User.objects.filter(email__in=[a[0] for a in ACCOUNTS])}
    assert len(users) == len(ACCOUNTS) == 8
    roles = {email: (u.is_staff, u.region.code if u.region else None)
             for email, u in users.items()}
    assert roles == {
        "staff@demo.smartfactory.kr": (True, None),
        "operator-gb@demo.smartfactory.kr": (False, "GB"),
        "operator-jn@demo.smartfactory.kr": (False, "JN"),
        "operator-jb@demo.smartfactory.kr": (False, "JB"),
        "reviewer1@demo.smartfactory.kr": (False, None),
        "reviewer2@demo.smartfactory.kr": (False, None),
        "reviewer3@demo.smartfactory.kr": (False, None),
        "company@demo.smartfactory.kr": (False, None),
    }
    for email in users:
        client = Client()
        response = client.post("/accounts/login/", {"login": email,
                                                    "password": DEMO_PASSWORD})
        if email in TWO_FACTOR_ACCOUNTS:  # staff, operators, reviewers: the demo app's code
            assert (email, response.status_code, response["Location"]) == (
                email, 302, "/accounts/2fa/authenticate/")
            response = client.post("/accounts/2fa/authenticate/", {"code": demo_code()})
        assert (email, response.status_code, response["Location"]) == (
            email, 302, "/dashboard/")


def demo_code():
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))


def test_demo_accounts_that_must_use_two_factor_have_the_documented_app(loaded):
    enrolled = set(Authenticator.objects.filter(type=Authenticator.Type.TOTP,
                                                data__secret=DEMO_TOTP_SECRET)
                   .values_list("user__email", flat=True))
    assert sorted(enrolled) == sorted(TWO_FACTOR_ACCOUNTS) == sorted(
        email for email, *_ in ACCOUNTS if email != "company@demo.smartfactory.kr")


def test_load_demo_twice_changes_nothing(loaded, settings):
    counts, rows = row_counts(), snapshot()
    call_command("load_demo", stdout=StringIO())
    assert row_counts() == counts
    assert snapshot() == rows


def test_load_demo_refuses_accounts_when_debug_off(settings, db):
    settings.DEBUG = False
    with pytest.raises(CommandError) as error:
        call_command("load_demo")
    assert str(error.value) == (
        "Demo accounts are never created when DEBUG is off. Use --no-accounts to load only "
        "the programmes.")
    assert (User.objects.count(), Call.objects.count()) == (0, 0)


def test_load_demo_without_accounts_loads_programmes_when_debug_off(settings, db):
    settings.DEBUG = False
    call_command("load_demo", "--no-accounts", stdout=StringIO())
    assert (User.objects.count(), Call.objects.count(), Track.objects.count(),
            FundingShare.objects.count()) == (0, 4, 8, 17)


def test_demo_windows_relative_to_today():
    opens, closes = programs_demo.demo_window(date(2025, 7, 1))
    assert (opens, closes) == (datetime(2025, 6, 24, 9, 0, tzinfo=SEOUL),
                               datetime(2025, 8, 30, 18, 0, tzinfo=SEOUL))


def test_stale_demo_reopened_on_next_load(demo):
    long_ago = timezone.now() - timedelta(days=400)
    Call.objects.update(opens_at=long_ago, closes_at=long_ago + timedelta(days=60))
    programs_demo.load()
    assert {c.status() for c in Call.objects.all()} == {CallStatus.OPEN}


def test_reset_windows_option_moves_windows(settings, demo):
    settings.DEBUG = False
    Call.objects.update(closes_at=timezone.now() + timedelta(days=1))
    call_command("load_demo", "--no-accounts", "--reset-windows",
                 stdout=StringIO())
    today = timezone.localdate()
    assert {timezone.localtime(c.closes_at).date() for c in Call.objects.all()} == {
        today + timedelta(days=60)}
