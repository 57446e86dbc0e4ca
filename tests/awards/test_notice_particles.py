"""The award notices' Korean particles follow the company's name (issue 11, point 7):
"새봄회사가 … 선정되었음을", "데모식품이 …", never "이(가)"."""

import pytest

from awards import notices
from awards.enums import Outcome
from awards.models import Notice
from tests.awards.test_notices import confirmed  # noqa: F401 - the fixture


@pytest.mark.parametrize(("name", "particle"), [("새봄회사", "가"), ("데모식품", "이")])
def test_the_selection_notice_takes_the_particle_of_the_company_name(confirmed, name,  # noqa: F811
                                                                     particle):
    notice = Notice.objects.filter(line__outcome=Outcome.SELECTED).select_related(
        "application__company").first()
    company = notice.application.company
    company.name = name
    company.save(update_fields=["name"])
    html = notices.notice_html(notices.notice_queryset().get(pk=notice.pk))
    assert "이(가)" not in html
    assert f"{name}{particle} " in html
