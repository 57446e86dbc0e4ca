"""A filter form's fields without a template per field.

``{{ field|filter_control }}`` renders a bound field of a list's filter form (a choice or a
text field) as crispy-bootstrap5 would — label, ``form-select`` / ``form-control``, the error
under it — with ``format_html`` instead of four nested templates per field and per option.
Crispy spent about half of the public announcement list's time on its five fields. Forms that
people fill in (plans, registrations) keep crispy.
"""

from django import forms, template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


def _options(field, current):
    chosen = {str(value) for value in current} if isinstance(current, list | tuple) \
        else {"" if current is None else str(current)}
    for value, label in field.field.choices:
        text = "" if value is None else str(value)
        yield format_html('<option value="{}"{}>{}</option>', text,
                          mark_safe(" selected") if text in chosen else "", label)


@register.filter
def filter_control(field):
    widget = field.field.widget
    auto_id = field.auto_id
    invalid = format_html(' is-invalid" aria-invalid="true" aria-describedby="{}_error',
                          auto_id) if field.errors else ""
    if isinstance(widget, forms.Select):
        control = format_html('<select name="{}" class="select form-select{}" id="{}">{}</select>',
                              field.html_name, invalid, auto_id,
                              mark_safe("".join(_options(field, field.value()))))
    else:
        maxlength = getattr(field.field, "max_length", None)
        value = field.value()
        control = format_html(
            '<input type="{}" name="{}"{} class="textinput form-control{}" id="{}"{}>',
            getattr(widget, "input_type", "text"), field.html_name,
            format_html(' value="{}"', value) if value not in (None, "") else "",
            invalid, auto_id,
            format_html(' maxlength="{}"', maxlength) if maxlength else "")
    errors = ""
    if field.errors:
        errors = format_html('<div id="{}_error" class="invalid-feedback">{}</div>', auto_id,
                             mark_safe("".join(
                                 format_html('<p id="error_{}_{}"><strong>{}</strong></p>',
                                             number, auto_id, error)
                                 for number, error in enumerate(field.errors, start=1))))
    return format_html('<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}'
                       '</label>{}{}</div>', auto_id, auto_id, conditional_escape(field.label),
                       control, errors)
