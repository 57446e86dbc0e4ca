"""A filter form's fields without a template per field.

``{{ field|filter_control }}`` renders a bound field of a list's filter form or a one-field
lookup form (a choice or a text field) as crispy-bootstrap5 would — label, ``form-select`` /
``form-control``, the error and help text under it — with ``format_html`` instead of four
nested templates per field and per option.
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


def _described_by(field):
    ids = ([f"{field.auto_id}_helptext"] if field.help_text else []) + (
        [f"{field.auto_id}_error"] if field.errors else [])
    return format_html(' aria-describedby="{}"', " ".join(ids)) if ids else ""


@register.filter
def filter_control(field):
    widget = field.field.widget
    auto_id = field.auto_id
    required = field.field.required and field.form.use_required_attribute
    invalid = " is-invalid" if field.errors else ""
    flags = mark_safe((" required" if required else "")
                      + (' aria-invalid="true"' if field.errors else ""))
    if isinstance(widget, forms.Select):
        control = format_html(
            '<select name="{}" class="select form-select{}"{}{} id="{}">{}</select>',
            field.html_name, invalid, flags, _described_by(field), auto_id,
            mark_safe("".join(_options(field, field.value()))))
    else:
        value = field.value()
        maxlength = getattr(field.field, "max_length", None)
        control = format_html(
            '<input type="{}" name="{}"{}{} class="textinput form-control{}"{}{} id="{}">',
            getattr(widget, "input_type", "text"), field.html_name,
            format_html(' value="{}"', value) if value not in (None, "") else "",
            format_html(' maxlength="{}"', maxlength) if maxlength else "",
            invalid, flags, _described_by(field), auto_id)
    errors = help_text = ""
    if field.errors:
        errors = format_html('<div id="{}_error" class="invalid-feedback">{}</div>', auto_id,
                             mark_safe("".join(
                                 format_html('<p id="error_{}_{}"><strong>{}</strong></p>',
                                             number, auto_id, error)
                                 for number, error in enumerate(field.errors, start=1))))
    if field.help_text:
        help_text = format_html('<div id="{}_helptext" class="form-text">{}</div>', auto_id,
                                field.help_text)
    label = format_html('<label for="{}" class="form-label{}">{}{}</label>', auto_id,
                        " requiredField" if field.field.required else "",
                        conditional_escape(field.label),
                        mark_safe('<span class="asteriskField">*</span>')
                        if field.field.required else "")
    return format_html('<div id="div_{}" class="mb-3">{}{}{}{}</div>', auto_id, label, control,
                       errors, help_text)
