"""Five companies form a cluster around a pool supplier and the lead submits it; a sixth
company cannot see it.

The browser does the lead's work (opening the cluster, inviting, its own part, submitting)
and one member's (accepting the emailed invitation, its part with the priority claim). The
four member companies and their users are made with factories; three of them accept and
complete their parts through the services, as the brief allows, to keep the journey fast.
"""

import re

from django.conf import settings
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from applications.models import BonusClaim
from clusters import invitations, services
from clusters.models import Cluster, ClusterInvitation
from tests.factories.applications import CompanyFactory, SupplierFactory
from tests.factories.clusters import user_for, valid_part


def sign_in(page, live_url, user):
    """Start a browser session as ``user`` (the sign-in form has its own journey)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_url,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])


def invitation_link(email):
    [message] = [m for m in mail.outbox if m.to == [email]]
    return re.search(r"https?://\S+/clusters/invitations/[0-9a-f-]+/", message.body).group(0)


def test_five_companies_form_a_cluster_and_a_sixth_cannot_see_it(demo, live_url, page,
                                                                  settings):
    settings.SITE_URL = live_url
    supplier = SupplierFactory(name="가온MES솔루션", specialties="MES, 공정관리",
                               industries="식품")
    lead_company = CompanyFactory(name="한마음장류")
    lead = user_for(lead_company, email="lead@hanmaum.test")
    members = [CompanyFactory(name=name) for name in
               ("청정발효식품", "바른젓갈", "햇살장류", "고향식품")]
    member_users = [user_for(company, email=f"ceo{n}@member.test")
                    for n, company in enumerate(members, start=1)]
    outsider = user_for(CompanyFactory(name="여섯째식품"), email="ceo@sixth.test")

    # The lead finds the supplier in the pool.
    sign_in(page, live_url, lead)
    page.goto(f"{live_url}/suppliers/")
    page.select_option("#id_specialty", "MES")
    page.get_by_role("button", name="조회").click()
    expect(page.locator("#supplier-list a")).to_have_count(1)
    expect(page.locator("#supplier-list")).to_contain_text("가온MES솔루션")

    # It opens the cluster around that supplier.
    page.goto(f"{live_url}/clusters/new/")
    expect(page.locator("#id_call option:checked")).to_have_text(
        "2025년 스마트공장 클러스터 지원사업")
    page.fill("#id_name", "장류 발효 클러스터")
    page.fill("#id_shared_process", "원료 세척 → 증자 → 발효·숙성 → 충전·포장")
    page.select_option("#id_supplier", label="가온MES솔루션")
    page.fill("#id_common_system", "공동 MES와 발효실 온습도 모니터링")
    page.fill("#id_system_scope", "회사별 발효실 센서와 공동 MES")
    page.get_by_role("button", name="클러스터 개설").click()
    expect(page.locator("h1")).to_contain_text("장류 발효 클러스터")
    expect(page.locator("#cluster-supplier")).to_contain_text("가온MES솔루션")
    cluster = Cluster.objects.get()

    # It invites the four member companies; a mistyped number is refused and kept.
    page.get_by_role("link", name="참여기업 초대").first.click()
    page.fill("#id_registration_number", "124-81-00999")
    page.fill("#id_email", "ceo1@member.test")
    page.get_by_role("button", name="초대 보내기").click()
    expect(page.locator("#invite-form")).to_contain_text("검증 번호가 맞지 않습니다")
    expect(page.locator("#id_email")).to_have_value("ceo1@member.test")
    for company, user in zip(members, member_users, strict=True):
        page.fill("#id_registration_number", company.registration_number_display)
        page.fill("#id_email", user.email)
        page.get_by_role("button", name="초대 보내기").click()
        expect(page.locator(".alert-success")).to_contain_text(user.email)
    expect(page.locator("#open-invitations li")).to_have_count(4)

    # Its own part: the server computes the support as the cost is typed.
    page.goto(f"{live_url}/clusters/{cluster.pk}/part/")
    page.fill("#id_cost", "100,000,000")
    expect(page.locator("#live-support")).to_contain_text("40,000,000원")
    page.fill("#id_contribution_cash", "30,000,000")
    page.fill("#id_contribution_in_kind", "30,000,000")
    page.get_by_role("button", name="기업별 사항 저장").click()
    expect(page.locator("#own-cost")).to_have_text("100,000,000원")
    expect(page.locator("#own-support")).to_contain_text("40,000,000원")

    # The first member accepts from its email and completes its part, claiming priority.
    sign_in(page, live_url, member_users[0])
    page.goto(invitation_link("ceo1@member.test"))
    expect(page.locator("main")).to_contain_text("한마음장류")
    page.get_by_role("button", name="클러스터 참여").click()
    expect(page).to_have_url(re.compile(rf"/clusters/{cluster.pk}/part/$"))
    page.fill("#id_cost", "50,000,000")
    expect(page.locator("#live-support")).to_contain_text("25,000,000원")
    page.fill("#id_contribution_cash", "12,500,000")
    page.fill("#id_contribution_in_kind", "12,500,000")
    expect(page.locator("#id_priority_evidence")).to_be_hidden()
    page.check("#id_priority_claim")
    page.fill("#id_priority_evidence", "식품 표시기준 개정으로 포장 설비를 교체해야 했습니다.")
    page.get_by_role("button", name="기업별 사항 저장").click()
    expect(page.locator("#own-priority")).to_contain_text("신청함")
    expect(page.locator("#shared-part")).to_contain_text("공동 MES와 발효실 온습도 모니터링")
    expect(page.locator("main")).not_to_contain_text("100,000,000")

    # The three other members accept and complete their parts (services).
    for company, user, cost in zip(members[1:], member_users[1:],
                                   (60_000_000, 12_345_678, 80_000_000), strict=True):
        invitation = ClusterInvitation.objects.get(cluster=cluster,
                                                   registration_number=company.registration_number)
        member = invitations.accept_invitation(invitation, user=user)
        services.save_member_part(member, user=user, **valid_part(member, cost))

    # The lead submits: five companies, a receipt number.
    sign_in(page, live_url, lead)
    page.goto(f"{live_url}/clusters/{cluster.pk}/")
    expect(page.locator("#members .badge.text-bg-success")).to_have_count(5)
    confirms = []
    page.once("dialog", lambda dialog: (confirms.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="클러스터 제출").click()
    expect(page.locator("#receipt-number")).to_have_text("2025-CL-0001")
    expect(page.locator("#cluster-status")).to_have_text("제출")
    assert confirms[0].startswith("클러스터 신청서를 제출하시겠습니까?")

    # Every member sees the status on its dashboard.
    sign_in(page, live_url, member_users[2])
    page.goto(f"{live_url}/dashboard/")
    expect(page.locator(f"#cluster-{cluster.pk}")).to_contain_text("2025-CL-0001")

    # A sixth company cannot see the cluster at all.
    sign_in(page, live_url, outsider)
    response = page.goto(f"{live_url}/clusters/{cluster.pk}/")
    assert response.status == 404

    cluster.refresh_from_db()
    version = cluster.application.versions.get()
    assert [(p["company"], p["cost"], p["support_total"]) for p in version.data["members"]] == [
        ("한마음장류", 100_000_000, 40_000_000), ("청정발효식품", 50_000_000, 25_000_000),
        ("바른젓갈", 60_000_000, 30_000_000), ("햇살장류", 12_345_678, 6_172_000),
        ("고향식품", 80_000_000, 40_000_000)]
    assert BonusClaim.objects.get(application=cluster.application).bonus_item.code == (
        "regulation")
    assert supplier.pk == cluster.supplier_id
