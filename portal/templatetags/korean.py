"""Korean particles in templates (portal/korean.py): ``{% load korean %}``, then
``{{ company.name|josa:"이/가" }}`` for one word, or ``{{ text|particles }}`` for a text whose
markers (``이(가)``…) follow values already put in."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

from portal import korean

register = template.Library()


@register.filter
def josa(word, pair):
    return korean.josa(word, pair)


@register.filter(is_safe=True)
def particles(text):
    """The markers resolved; markup stays as safe as it was (the markers hold no markup)."""
    if not isinstance(text, SafeData):
        text = conditional_escape(text)
    return mark_safe(korean.resolve(text))  # noqa: S308 - escaped above; markers hold no markup
