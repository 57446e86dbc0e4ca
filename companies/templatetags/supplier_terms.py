"""``{{ supplier.specialties|terms }}``: a pool supplier's terms, each in the reader's language
where the portal's vocabulary (``companies.terms``) has it."""

from django import template

from portal.text import in_reader_language

from ..selectors import split_terms

register = template.Library()


@register.filter
def terms(text: str) -> list[str]:
    return [in_reader_language(term) for term in split_terms(text or "")]
