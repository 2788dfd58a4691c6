"""Organisations of the network."""

from enum import StrEnum

import peewee

from ..clock import now
from ..db import BaseModel
from ..i18n import lazy_gettext
from ..territories.models import Territory


class OrganisationKind(StrEnum):
    """What an organisation is; schools and support structures host interventions."""

    COLLEGE = "college"
    LYCEE = "lycee"
    LYCEE_PRO = "lycee_pro"
    CFA = "cfa"
    UNIVERSITY = "university"
    SUPPORT = "support"  # Mission Locale, information centre...
    COMPANY = "company"
    PUBLIC_EMPLOYER = "public_employer"
    ASSOCIATION = "association"
    TRAINING_BODY = "training_body"


KIND_LABELS = {
    OrganisationKind.COLLEGE: lazy_gettext("Lower secondary school (collège)"),
    OrganisationKind.LYCEE: lazy_gettext("Upper secondary school (lycée)"),
    OrganisationKind.LYCEE_PRO: lazy_gettext("Vocational upper secondary school"),
    OrganisationKind.CFA: lazy_gettext("Apprentice training centre (CFA)"),
    OrganisationKind.UNIVERSITY: lazy_gettext("University"),
    OrganisationKind.SUPPORT: lazy_gettext("Support structure"),
    OrganisationKind.COMPANY: lazy_gettext("Company"),
    OrganisationKind.PUBLIC_EMPLOYER: lazy_gettext("Public employer"),
    OrganisationKind.ASSOCIATION: lazy_gettext("Association"),
    OrganisationKind.TRAINING_BODY: lazy_gettext("Training body"),
}

# Schools listed in the Éducation nationale's directory: each has a UAI.
UAI_REQUIRED_KINDS = frozenset(
    {OrganisationKind.COLLEGE, OrganisationKind.LYCEE, OrganisationKind.LYCEE_PRO}
)
# Kinds that may have a UAI (CFAs, universities, CIOs and training bodies often do).
UAI_KINDS = UAI_REQUIRED_KINDS | {
    OrganisationKind.CFA,
    OrganisationKind.UNIVERSITY,
    OrganisationKind.SUPPORT,
    OrganisationKind.TRAINING_BODY,
}
# Employers identified by their establishment's SIRET.
SIRET_REQUIRED_KINDS = frozenset({OrganisationKind.COMPANY})

# Organisations whose educational teams request interventions.
EDUCATIONAL_KINDS = frozenset(
    {
        OrganisationKind.COLLEGE,
        OrganisationKind.LYCEE,
        OrganisationKind.LYCEE_PRO,
        OrganisationKind.CFA,
        OrganisationKind.UNIVERSITY,
        OrganisationKind.SUPPORT,
    }
)


class Organisation(BaseModel):
    """A school, support structure, employer, association or training body."""

    name = peewee.CharField(max_length=200)
    search_name = peewee.CharField(max_length=200, index=True)
    # Name, city, postcode and identifiers without accents or case, for search.
    search_text = peewee.CharField(max_length=400, default="")
    kind = peewee.CharField(max_length=30, index=True)
    uai = peewee.CharField(max_length=8, null=True, unique=True)
    siret = peewee.CharField(max_length=14, null=True, unique=True)
    territory = peewee.ForeignKeyField(Territory, null=True, on_delete="RESTRICT", index=True)
    city = peewee.CharField(max_length=100, null=True)
    postcode = peewee.CharField(max_length=10, null=True)
    latitude = peewee.FloatField(null=True)
    longitude = peewee.FloatField(null=True)
    qpv = peewee.BooleanField(default=False)
    rep = peewee.BooleanField(default=False)
    rep_plus = peewee.BooleanField(default=False)
    rural = peewee.BooleanField(default=False)
    created_at = peewee.DateTimeField(default=now)

    @property
    def is_priority(self) -> bool:
        """Whether the organisation is in a priority area (QPV, REP, REP+ or rural)."""
        return self.qpv or self.rep or self.rep_plus or self.rural

    @property
    def kind_label(self) -> str:
        """The translated name of the organisation's kind."""
        label = KIND_LABELS.get(self.kind)
        return str(label) if label is not None else self.kind

    def __str__(self) -> str:
        return self.name
