"""The open API's representations: plain public fields, money as integer won, rates as
decimal strings."""

from decimal import Decimal

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from companies.models import Supplier
from programs.enums import CallStatus, FundingSource
from programs.models import (
    Announcement,
    AnnouncementAttachment,
    BudgetLine,
    Call,
    Event,
    FundingShare,
    Programme,
    Region,
    Track,
)
from results.models import PublishedResult

# One field instance each, to format values as DRF's fields do (the time zone, decimal places).
DATETIME = serializers.DateTimeField()
RATE = Decimal("0.0001")
SCORE = Decimal("0.01")


def decimal_text(value, places) -> str:
    return format(Decimal(value).quantize(places), "f")


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "code", "name", "name_en", "year", "ministry", "description",
                  "description_en"]


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "name_en", "agency", "agency_en", "inquiry_phone",
                  "inquiry_email"]


class FundingShareSerializer(serializers.ModelSerializer):
    rate = serializers.DecimalField(max_digits=5, decimal_places=4)

    class Meta:
        model = FundingShare
        fields = ["source", "rate", "per_company_cap"]


class TrackSerializer(serializers.ModelSerializer):
    shares = FundingShareSerializer(many=True)

    class Meta:
        model = Track
        fields = ["id", "kind", "name", "name_en", "order", "target_count", "max_project_cost",
                  "total_cap", "min_members", "shares"]


class BudgetLineSerializer(serializers.ModelSerializer):
    awarded = serializers.SerializerMethodField(
        help_text="What confirmed award runs award on this line (won).")
    remaining = serializers.SerializerMethodField(help_text="Amount less awarded (won).")

    class Meta:
        model = BudgetLine
        fields = ["source", "amount", "awarded", "remaining"]

    def _awarded(self, line) -> int:
        return self.context.get("awarded", {}).get(line.call_id, {}).get(line.source, 0)

    @extend_schema_field(OpenApiTypes.INT64)
    def get_awarded(self, line) -> int:
        return self._awarded(line)

    @extend_schema_field(OpenApiTypes.INT64)
    def get_remaining(self, line) -> int:
        return line.amount - self._awarded(line)


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = Event
        fields = ["id", "title", "title_en", "starts_at", "location", "location_en"]


class CallSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region = RegionSerializer(allow_null=True)
    status = serializers.ChoiceField(choices=CallStatus.choices, read_only=True)
    min_cash_share = serializers.DecimalField(max_digits=5, decimal_places=4)
    cutoff_score = serializers.DecimalField(max_digits=5, decimal_places=2)
    ksic_codes = serializers.ListField(child=serializers.CharField())
    tracks = TrackSerializer(many=True)
    budget_lines = BudgetLineSerializer(many=True)
    events = EventSerializer(many=True)

    class Meta:
        model = Call
        fields = ["id", "code", "programme", "region", "title", "title_en", "sector",
                  "sector_en", "ksic_codes", "opens_at", "closes_at", "status", "total_budget",
                  "rounding_unit", "min_cash_share", "cutoff_score", "tracks", "budget_lines",
                  "events"]

    def to_representation(self, call):
        """The declared fields' representation (which the schema documents), written out
        from the rows ``api.selectors.call_details`` read for the page: a page of calls is
        some 400 nested objects, and DRF's generic walk over prefetched model instances was
        most of the list's time. A test holds it equal to ``super().to_representation``."""
        awarded = self.context.get("awarded", {}).get(call.pk, {})
        details = self.context["details"][call.pk]
        region = call.region
        return {
            "id": call.pk, "code": call.code, "programme": call.programme.code,
            "region": None if region is None else {
                "code": region.code, "name": region.name, "name_en": region.name_en,
                "agency": region.agency, "agency_en": region.agency_en,
                "inquiry_phone": region.inquiry_phone, "inquiry_email": region.inquiry_email},
            "title": call.title, "title_en": call.title_en, "sector": call.sector,
            "sector_en": call.sector_en, "ksic_codes": [str(code) for code in call.ksic_codes],
            "opens_at": DATETIME.to_representation(call.opens_at),
            "closes_at": DATETIME.to_representation(call.closes_at),
            "status": call.status(), "total_budget": call.total_budget,
            "rounding_unit": call.rounding_unit,
            "min_cash_share": decimal_text(call.min_cash_share, RATE),
            "cutoff_score": decimal_text(call.cutoff_score, SCORE),
            "tracks": [{
                **{key: value for key, value in track.items() if key != "shares"},
                "shares": [{"source": share["source"],
                            "rate": decimal_text(share["rate"], RATE),
                            "per_company_cap": share["per_company_cap"]}
                           for share in track["shares"]],
            } for track in details["tracks"]],
            "budget_lines": [{
                "source": line["source"], "amount": line["amount"],
                "awarded": awarded.get(line["source"], 0),
                "remaining": line["amount"] - awarded.get(line["source"], 0),
            } for line in details["budget_lines"]],
            "events": [{**event, "starts_at": DATETIME.to_representation(event["starts_at"])}
                       for event in details["events"]],
        }


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    url = serializers.SerializerMethodField()

    class Meta:
        model = AnnouncementAttachment
        fields = ["id", "name", "content_type", "size", "url"]

    def get_url(self, attachment) -> str:
        return self.context["request"].build_absolute_uri(reverse(
            "programs:attachment_download", args=[attachment.announcement_id, attachment.pk]))


class AnnouncementSerializer(serializers.ModelSerializer):
    call_code = serializers.CharField(source="call.code")
    region = serializers.CharField(source="call.region.code", allow_null=True, default=None,
                                   help_text="Region code, null for a nationwide call.")
    programme = serializers.CharField(source="call.programme.code")
    attachments = AttachmentSerializer(many=True)
    url = serializers.SerializerMethodField(help_text="The announcement's page.")

    class Meta:
        model = Announcement
        fields = ["id", "call", "call_code", "region", "programme", "title", "title_en",
                  "body", "body_en", "published_at", "updated_at", "attachments", "url"]

    def get_url(self, announcement) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("programs:announcement_detail", args=[announcement.pk]))


class SupplierSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", allow_null=True, default=None)

    class Meta:
        model = Supplier
        fields = ["id", "name", "registration_number", "region", "specialties", "industries",
                  "processes", "past_builds", "contact_name", "contact_email", "contact_phone"]


class ResultEntrySerializer(serializers.Serializer):
    receipt_number = serializers.CharField()
    company = serializers.CharField(required=False,
                                    help_text="Only when the call publishes company names.")
    waitlist_position = serializers.IntegerField(required=False)


class ResultTrackSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)
    target = serializers.IntegerField(allow_null=True)
    applications = serializers.IntegerField()
    selected = ResultEntrySerializer(many=True)
    waitlisted = ResultEntrySerializer(many=True)


class ResultBudgetSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=FundingSource.choices)
    amount = serializers.IntegerField()
    used = serializers.IntegerField()
    remaining = serializers.IntegerField()


class PublishedResultSerializer(serializers.ModelSerializer):
    call_code = serializers.CharField(source="call.code")
    cutoff_score = serializers.DecimalField(max_digits=5, decimal_places=2,
                                            source="data.cutoff_score")
    tracks = ResultTrackSerializer(many=True, source="data.tracks")
    budget = ResultBudgetSerializer(many=True, source="data.budget")

    class Meta:
        model = PublishedResult
        fields = ["id", "call", "call_code", "published_at", "show_company_names",
                  "cutoff_score", "tracks", "budget"]
