"""Forms of the documents pages: shape only; the checks live in the actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from smartcourt.documents.choices import Issuer


class TemplateVersionForm(forms.Form):
    body = forms.CharField(
        label=_("Template text"), widget=forms.Textarea(attrs={"rows": 18, "class": "font-monospace"})
    )
    note = forms.CharField(label=_("What changed"), max_length=200, required=False)


class TemplateCreateForm(forms.Form):
    key = forms.SlugField(label=_("Template key"), max_length=64)
    name = forms.CharField(label=_("Name"), max_length=100)
    heading = forms.CharField(label=_("Title on the document"), max_length=40)
    issuer = forms.ChoiceField(label=_("Issued by"), choices=Issuer.choices)
    node_keys = forms.CharField(label=_("Nodes (e.g. N01 N03)"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Template text"), widget=forms.Textarea(attrs={"rows": 14, "class": "font-monospace"})
    )

    def clean_node_keys(self) -> list[str]:
        return [key.strip().upper() for key in self.cleaned_data["node_keys"].replace(",", " ").split() if key.strip()]


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("Signed PDF"))
