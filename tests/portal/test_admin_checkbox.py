"""``portal.admin.QuickCheckboxAdmin`` gives a changelist row exactly the checkbox Django's
``ModelAdmin.action_checkbox`` renders through the template engine."""

import pytest
from django.contrib import admin
from django.utils import translation

from applications.admin import ApplicationAdmin
from applications.models import Application
from portal.admin import QuickCheckboxAdmin
from tests.factories.applications import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_quick_checkbox_is_django_s_own(language):
    application = ApplicationFactory()
    model_admin = ApplicationAdmin(Application, admin.site)
    assert isinstance(model_admin, QuickCheckboxAdmin)
    with translation.override(language):
        quick = model_admin.action_checkbox(application)
        django = admin.ModelAdmin.action_checkbox(model_admin, application)
    assert quick == django
    assert quick.startswith(f'<input type="checkbox" name="_selected_action" '
                            f'value="{application.pk}" class="action-select" aria-label="')
