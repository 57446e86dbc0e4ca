"""The permission-matrix helper: every URL × every role → the expected HTTP status.

    expect_matrix(client, role_users, "/manage/announcements/1/edit/", {
        "anonymous": 302, "company": 404, "operator_gb": 200, "operator_jn": 404,
        "reviewer": 404, "staff": 200,
    })

Every role of ``ROLE_NAMES`` must appear, so a new role cannot be forgotten. Later parts of the
portal add their roles' users in ``make_role_users`` (company members, reviewers…).
``company`` is a member of a company and ``other_company`` a member of another one, so a
company guessing another company's URLs is covered.
"""

from django.test import Client

from programs.models import Region

ROLE_NAMES = ("anonymous", "company", "other_company", "operator_gb", "operator_jn",
              "reviewer", "staff")


def make_role_users():
    from tests.factories.applications import CompanyFactory, MembershipFactory
    from tests.factories.portal import UserFactory
    from tests.factories.reviews import ReviewerProfileFactory

    regions = {r.code: r for r in Region.objects.filter(code__in=["GB", "JN"])}
    return {
        "anonymous": None,
        # A member of a Gyeongbuk food company, and a member of another company.
        "company": MembershipFactory(user=UserFactory(email="member@company.test"),
                                     company=CompanyFactory(name="역할시험식품",
                                                            region=regions["GB"])).user,
        "other_company": MembershipFactory(
            user=UserFactory(email="member@other-company.test"),
            company=CompanyFactory(name="다른시험식품", region=regions["GB"])).user,
        "operator_gb": UserFactory(email="operator@gb.test", region=regions["GB"]),
        "operator_jn": UserFactory(email="operator@jn.test", region=regions["JN"]),
        "reviewer": ReviewerProfileFactory(user=UserFactory(email="reviewer@review.test")).user,
        "staff": UserFactory(email="staff@mss.test", is_staff=True, is_superuser=True),
    }


def expect_matrix(role_users, url, expected, *, method="get", data=None, setup=None):
    """Request ``url`` as every role and compare each status with ``expected``.

    ``setup`` (optional) is called before each request, to restore state a request changed.
    Fails with a table of every mismatch, not just the first.
    """
    missing = set(role_users) - set(expected)
    assert not missing, f"expected statuses missing for roles: {sorted(missing)}"
    actual = {}
    for role, user in role_users.items():
        if setup:
            setup()
        client = Client()
        if user is not None:
            client.force_login(user)
        response = getattr(client, method)(url, data or {})
        actual[role] = response.status_code
    mismatches = {role: (expected[role], actual[role]) for role in role_users
                  if expected[role] != actual[role]}
    assert mismatches == {}, f"{method.upper()} {url}: role → (expected, actual) {mismatches}"
    return actual
