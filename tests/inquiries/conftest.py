import pytest

from programs.models import Announcement


@pytest.fixture
def gb_announcement(demo):
    return Announcement.objects.get(call__code="2025-GB")


@pytest.fixture
def jn_announcement(demo):
    return Announcement.objects.get(call__code="2025-JN")
