"""Rostering from OneRoster: upload a .zip, read the dry run, confirm, watch it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jel.permissions import ability_required
from scheduling.forms import RosterUploadForm
from scheduling.models import ImportRun
from scheduling.roster import KINDS
from scheduling.roster.runs import roster_confirm, roster_upload

HISTORY = 20


def _rows(run):
    return [(kind, run.counts[kind]) for kind in KINDS if run.counts.get(kind)]


@ability_required("import_roster")
def roster(request):
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = roster_upload(
            school=request.school,
            by=request.user,
            role=request.membership.role,
            upload=form.cleaned_data["export"],
        )
        return redirect("scheduling:roster_run", run.pk)
    runs = ImportRun.objects.select_related("uploaded_by")[:HISTORY]
    return render(
        request,
        "scheduling/roster.html",
        {
            "form": form,
            "runs": runs,
            "district_wide": request.membership.role == "district",
        },
    )


@ability_required("import_roster")
def roster_run(request, pk):
    run = get_object_or_404(ImportRun.objects.select_related("uploaded_by"), pk=pk)
    return render(
        request, "scheduling/roster_run.html", {"run": run, "rows": _rows(run)}
    )


@require_POST
@ability_required("import_roster")
def roster_run_confirm(request, pk):
    run = get_object_or_404(ImportRun, pk=pk)
    run = roster_confirm(run=run, by=request.user)
    if run.status == ImportRun.Status.QUEUED:
        messages.success(
            request, "The import has started. This page shows its progress."
        )
    return redirect("scheduling:roster_run", run.pk)


@ability_required("import_roster")
def roster_run_status(request, pk):
    run = get_object_or_404(ImportRun, pk=pk)
    return render(
        request,
        "scheduling/partials/roster_status.html",
        {"run": run, "rows": _rows(run)},
    )
