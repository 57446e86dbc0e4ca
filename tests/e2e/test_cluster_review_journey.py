"""A submitted cluster from the lead's dashboard to its score, in Chromium: the lead follows it
only on the cluster's pages; staff screen it and verify the members' priority claim on the
screening page and assign a reviewer; the reviewer sees every member company on the conflict
page, reads the shared part and each member's part, downloads a cluster file and scores it;
the verified priority counts as a 3-point bonus in the ranking."""

import re

import pytest
from playwright.sync_api import expect

from applications.enums import ApplicationStatus
from programs.models import Announcement, EvaluationRound
from tests.e2e.conftest import sign_in
from tests.factories.clusters import lead_user, make_submitted_cluster
from tests.factories.portal import UserFactory
from tests.factories.reviews import ReviewerProfileFactory

POINTS = [26, 17, 16, 16, 8]  # 83 of 100


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def journey(demo):
    cluster = make_submitted_cluster()
    UserFactory(email="staff@mss.test", is_staff=True, is_superuser=True)
    ReviewerProfileFactory(user=UserFactory(email="reviewer@review.test",
                                            full_name="클러스터평가위원"),
                           calls=[cluster.call])
    return cluster


def test_cluster_is_screened_verified_reviewed_and_ranked_with_its_bonus(journey, live_url,
                                                                         browser):
    cluster = journey
    application = cluster.application
    names = [m.company.name for m in cluster.members.select_related("company")
             .order_by("role", "joined_at", "pk")]
    cluster_url = f"{live_url}/clusters/{cluster.pk}/"

    # The lead sees the cluster in its cluster section only, and its application pages and the
    # cluster announcement's Apply button lead to the cluster's page.
    lead = sign_in(browser, live_url, lead_user(cluster).email)
    expect(lead.locator(f"#cluster-{cluster.pk}")).to_contain_text(application.receipt_number)
    expect(lead.locator(f"a[href='/applications/{application.pk}/']")).to_have_count(0)
    lead.goto(f"{live_url}/applications/{application.pk}/plan/company/")
    expect(lead).to_have_url(cluster_url)
    expect(lead.locator(".alert-info").first).to_contain_text("클러스터 페이지에서 하십시오")
    announcement = Announcement.objects.get(call=cluster.call)
    lead.goto(f"{live_url}/announcements/{announcement.pk}/")
    lead.locator("#apply-button").click()
    expect(lead).to_have_url(cluster_url)

    # Staff read every member's part on the screening page, verify the priority claim and
    # screen the cluster eligible.
    staff = sign_in(browser, live_url, "staff@mss.test")
    staff.goto(f"{live_url}/staff/applications/{application.pk}/")
    expect(staff.locator("#cluster-note")).to_contain_text(cluster.name)
    expect(staff.locator("#cluster-members tbody tr")).to_have_count(5)
    expect(staff.locator("#cluster-total-support")).to_have_text("150,000,000원")
    claim = staff.locator("[id^=claim-]")
    expect(claim).to_contain_text("식품 표시기준 개정으로 포장 설비를 바꿔야 했습니다.")
    claim.locator("button[value=yes]").click()
    expect(staff.locator("[id^=claim-] .badge")).to_have_text("확인됨")
    staff.locator("input[name=decision][value=eligible]").check()
    staff.locator("#screening-form [type=submit]").click()
    expect(staff.locator("#audit-trail li").last).to_contain_text("적격")

    # Staff assign the reviewer by hand from the reviews pages.
    evaluation_round = EvaluationRound.objects.get(call=cluster.call)
    staff.goto(f"{live_url}/manage/reviews/rounds/{evaluation_round.pk}/"
               f"applications/{application.pk}/")
    expect(staff.locator("#cluster-note")).to_contain_text(cluster.name)
    reviewer_option = staff.locator("#id_reviewer option", has_text="클러스터평가위원")
    staff.locator("#id_reviewer").select_option(reviewer_option.get_attribute("value"))
    staff.locator("#assign-form [type=submit]").click()
    expect(staff.locator("#assignments")).to_contain_text("클러스터평가위원")

    # The reviewer sees every member company before answering, then the whole cluster.
    reviewer = sign_in(browser, live_url, "reviewer@review.test")
    reviewer.goto(f"{live_url}/reviews/")
    row = reviewer.locator("#review-queue tbody tr")
    expect(row.locator(".cluster-name")).to_contain_text(cluster.name)
    row.locator("a").click()
    expect(reviewer.locator("#cluster-name")).to_have_text(cluster.name)
    expect(reviewer.locator("#company-name")).to_have_text(", ".join(names))
    expect(reviewer.locator("#supplier-name")).to_have_text(cluster.supplier.name)
    reviewer.locator("input[name=answer][value=none]").check()
    reviewer.locator("main form [type=submit]").first.click()
    expect(reviewer.locator("#cluster-members tbody tr")).to_have_count(5)
    for name in names:
        expect(reviewer.locator("#cluster-members")).to_contain_text(name)
    with reviewer.expect_download() as download:
        reviewer.locator("#documents a", has_text="공동사업계획서.pdf").click()
    assert download.value.suggested_filename == "공동사업계획서.pdf"
    fields = reviewer.locator("#score-form input[data-points]")
    for index, value in enumerate(POINTS):
        fields.nth(index).fill(str(value))
    expect(reviewer.locator("#running-total")).to_have_text("83")
    reviewer.once("dialog", lambda dialog: dialog.accept())
    reviewer.locator("#score-form button[name=submit]").click()
    expect(reviewer).to_have_url(re.compile(r"/reviews/$"))

    # Staff mark it scored; the ranking adds the verified 3-point priority bonus.
    staff.goto(f"{live_url}/manage/reviews/rounds/{evaluation_round.pk}/matrix/")
    staff.locator("form[action$='/mark-scored/'] [type=submit]").click()
    ranked = staff.locator(f"#ranking tr[data-application='{application.pk}']")
    expect(ranked.locator(".cluster-name")).to_contain_text(cluster.name)
    expect(ranked).to_contain_text("86.00")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SCORED
