"""Issue 11 item 10: once an application is past the window's business (screened, reviewed,
notified…), its pages stop counting down to the deadline and stop asking for documents."""

import pytest
from django.urls import reverse

from applications.enums import ApplicationStatus
from applications.models import Application
from tests.applications.test_views import client_for, submit, text

pytestmark = pytest.mark.django_db


def test_a_submitted_application_still_counts_down_and_lists_its_documents(application,
                                                                           member):
    submit(client_for(member), application)
    client = client_for(member)

    dashboard = client.get(reverse("dashboard")).content.decode()
    detail = text(client.get(reverse("applications:detail", args=[application.pk])))

    assert ('class="col-sm-9 time-left"' in dashboard
            and 'class="col-sm-9 required-documents"' in dashboard)
    assert "Upload documents" in detail and "days" in detail


@pytest.mark.parametrize("status", [ApplicationStatus.ELIGIBLE, ApplicationStatus.NOTIFIED,
                                    ApplicationStatus.AGREEMENT])
def test_after_screening_the_pages_stop_counting_down_and_asking_for_uploads(
        application, member, status):
    submit(client_for(member), application)
    Application.objects.filter(pk=application.pk).update(status=status)
    client = client_for(member)

    dashboard = client.get(reverse("dashboard")).content.decode()
    detail = client.get(reverse("applications:detail", args=[application.pk])).content.decode()

    assert "time-left" not in dashboard and "required-documents" not in dashboard
    assert "Time left" not in dashboard
    assert 'id="time-left"' not in detail and "Upload documents" not in detail
    assert "Submitted documents" in detail
