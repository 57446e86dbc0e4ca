"""The rubric in the admin: editable until the first review is submitted, read-only after."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import timezone

from programs.models import Call, EvaluationRound
from reviews.admin import RubricBonusItemInline, RubricCriterionInline
from tests.factories.portal import UserFactory

pytestmark = pytest.mark.django_db


def permissions(inline_class, model, obj):
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    inline = inline_class(model, admin.site)
    return (inline.has_add_permission(request, obj), inline.has_change_permission(request, obj),
            inline.has_delete_permission(request, obj))


def test_rubric_inlines_editable_while_no_review_is_submitted(demo):
    call = Call.objects.get(code="2025-GB")
    evaluation_round = EvaluationRound.objects.get(call=call)
    assert permissions(RubricCriterionInline, EvaluationRound, evaluation_round) == (
        True, True, True)
    assert permissions(RubricBonusItemInline, Call, call) == (True, True, True)


def test_rubric_inlines_read_only_once_the_round_is_locked(demo):
    call = Call.objects.get(code="2025-GB")
    EvaluationRound.objects.filter(call=call).update(locked_at=timezone.now())
    evaluation_round = EvaluationRound.objects.get(call=call)
    assert permissions(RubricCriterionInline, EvaluationRound, evaluation_round) == (
        False, False, False)
    assert permissions(RubricBonusItemInline, Call, call) == (False, False, False)
    # Another call's rubric is not locked by this one.
    other = Call.objects.get(code="2025-JN")
    assert permissions(RubricBonusItemInline, Call, other) == (True, True, True)


def test_rubric_inlines_editable_on_a_new_object(demo):
    assert permissions(RubricCriterionInline, EvaluationRound, None) == (True, True, True)
    assert permissions(RubricBonusItemInline, Call, None) == (True, True, True)


