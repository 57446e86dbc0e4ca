from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def tr_key(data, key):
    """``data[key + "_en"]`` when English is active and it is filled in, else ``data[key]``
    (the ``tr`` filter for the frozen figures of a published result)."""
    if not isinstance(data, dict):
        return ""
    if (get_language() or "ko").startswith("en") and data.get(f"{key}_en"):
        return data[f"{key}_en"]
    return data.get(key, "")


@register.filter
def label_of(labels, key):
    return labels.get(key, key) if isinstance(labels, dict) else key
