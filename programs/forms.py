from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from portal.text import translated
from portal.uploads import DOCUMENT_TYPES, validate_upload

from .models import Announcement


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked on its own (size, sniffed type).

    Empty files pass this field so that ``validate_upload`` refuses them with a message that
    names the file, like every other refused upload.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [single(f, initial) for f in files]


class CallChoiceField(forms.ModelChoiceField):
    """The calls the user may write for, by title in the active language."""

    default_error_messages = {
        "invalid_choice": _("Choose one of the calls you operate: announcements for other "
                            "calls are written by their own operators."),
    }

    def label_from_instance(self, obj):
        return translated(obj, "title")


class AnnouncementForm(forms.ModelForm):
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    class Meta:
        model = Announcement
        fields = ["call", "title", "title_en", "body", "body_en"]
        field_classes = {"call": CallChoiceField}
        widgets = {"body": forms.Textarea(attrs={"rows": 14}),
                   "body_en": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"body": _("Markdown: ## for headings, - for lists, **bold**. Scripts and "
                                "other HTML are removed.")}

    def __init__(self, *args, calls, **kwargs):
        """``calls``: the calls the user may write announcements for (others are refused)."""
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls.select_related("region")
        self.fields["attachments"].help_text = _(
            "%(types)s, at most %(max)s each. The type is checked from the content."
        ) % {"types": ", ".join(DOCUMENT_TYPES.values()),
             "max": filesizeformat(settings.MAX_UPLOAD_BYTES)}
        self.mime_types = []
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("call"),
            Div(Div("title", css_class="col-md-6"), Div("title_en", css_class="col-md-6"),
                css_class="row"),
            "body",
            "body_en",
            "attachments",
        )

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        errors, self.mime_types = [], []
        for upload in files:
            try:
                self.mime_types.append(validate_upload(upload, allowed=DOCUMENT_TYPES))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return files

