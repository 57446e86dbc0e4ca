from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from portal.uploads import DOCUMENT_TYPES, JPEG, PNG, validate_upload

from .enums import QuestionStatus

# What a question may carry: the announcement's document types and screenshots.
ATTACHMENT_TYPES = {**DOCUMENT_TYPES, JPEG: "JPEG", PNG: "PNG"}
MAX_BODY = 10_000
MAX_ANSWER = 20_000
CHOOSE_AGAIN = _("Choose the file again: a browser does not keep it when the form is shown "
                 "again.")


class QuestionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Question"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: - for lists, **bold**. Scripts and other HTML are removed."))
    visibility = forms.ChoiceField(
        label=_("Who may read it"), widget=forms.RadioSelect, initial="public",
        choices=[("public", _("Public: everyone may read the question and its answer")),
                 ("private", _("Private: only my company, the operating agency and the "
                               "ministry"))])
    attachment = forms.FileField(label=_("Attachment"), required=False, allow_empty_file=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mime = ""
        self.fields["attachment"].help_text = _(
            "Optional. %(types)s, at most %(max)s. The type is checked from the content."
        ) % {"types": ", ".join(ATTACHMENT_TYPES.values()),
             "max": filesizeformat(settings.MAX_UPLOAD_BYTES)}
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            self.mime = validate_upload(upload, allowed=ATTACHMENT_TYPES)
        return upload or None

    def clean(self):
        cleaned = super().clean()
        if self._errors and "attachment" not in self._errors:
            self.ask_to_choose_again()
        return cleaned

    def ask_to_choose_again(self):
        """A browser cannot keep a chosen file across a refused form: say so."""
        if self.files.get("attachment"):
            self.add_error("attachment", ValidationError(CHOOSE_AGAIN, code="choose_again"))

    @property
    def is_public(self) -> bool:
        return self.cleaned_data.get("visibility") == "public"


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=MAX_ANSWER, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: ## for headings, - for lists, **bold**. Scripts and other HTML "
                    "are removed."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *QuestionStatus.choices]
