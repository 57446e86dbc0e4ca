import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Reviews tests create many accounts: hash their passwords cheaply."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english():
    """Messages in English, to compare them with the source text."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def all_roles(role_users):
    """The portal's roles plus a second reviewer, who is assigned nothing here."""
    from tests.factories.portal import UserFactory
    from tests.factories.reviews import ReviewerProfileFactory

    other = ReviewerProfileFactory(user=UserFactory(email="other@review.test")).user
    return {**role_users, "other_reviewer": other}


@pytest.fixture
def scenario(all_roles):
    from reviews.enums import ConflictStatus
    from tests.factories.reviews import AssignmentFactory
    from tests.reviews.helpers import demo_round, reviewable_application

    evaluation_round = demo_round()
    application = reviewable_application(evaluation_round)
    assignment = AssignmentFactory(round=evaluation_round, application=application,
                                   reviewer=all_roles["reviewer"].reviewer_profile,
                                   conflict=ConflictStatus.NONE)
    return evaluation_round, application, assignment
