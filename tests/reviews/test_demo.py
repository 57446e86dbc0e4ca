import pytest

from portal import demo as portal_demo
from reviews import demo as reviews_demo
from reviews.models import ExpertiseTag, ReviewerProfile

pytestmark = pytest.mark.django_db


def test_demo_makes_the_three_demo_reviewers_members_of_every_committee(demo):
    portal_demo.load_accounts()

    reviews_demo.load()
    reviews_demo.load()

    profiles = ReviewerProfile.objects.order_by("user__email")
    assert [(p.user.email, p.organisation_registration_number,
             sorted(p.calls.values_list("code", flat=True)), p.expertise.count())
            for p in profiles] == [
        ("reviewer1@demo.smartfactory.kr", "1348200013",
         ["2025-CL", "2025-GB", "2025-JB", "2025-JN"], 2),
        ("reviewer2@demo.smartfactory.kr", "2148200022",
         ["2025-CL", "2025-GB", "2025-JB", "2025-JN"], 2),
        ("reviewer3@demo.smartfactory.kr", "3148200036",
         ["2025-CL", "2025-GB", "2025-JB", "2025-JN"], 1),
    ]
    assert ExpertiseTag.objects.count() == 5


def test_demo_without_accounts_creates_no_profile(demo):
    reviews_demo.load()
    assert ReviewerProfile.objects.count() == 0
