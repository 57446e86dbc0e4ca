import factory

from inquiries import models
from tests.factories.portal import UserFactory
from tests.factories.programs import AnnouncementFactory


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Question

    announcement = factory.SubFactory(AnnouncementFactory)
    asker = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"문의 {n}")
    body = "신청 자격을 알려 주세요."
    is_public = True
