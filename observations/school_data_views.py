"""Your school's data: ask for the whole export, watch it being written, download it."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from jel.permissions import ability_required
from observations import selectors, services


@ability_required("export_school_data")
def school_data(request):
    if request.method == "POST":
        services.school_export_request(
            school=request.school, by=request.user, role=request.membership.role
        )
        messages.success(
            request,
            "Your export is being written. This page shows its progress; you "
            "can leave it and come back.",
        )
        return redirect("observations:school_data")
    exports = selectors.school_exports_for(user=request.user)
    return render(request, "observations/school_data.html", {"exports": exports})


@ability_required("export_school_data")
def school_data_status(request, pk):
    export = selectors.school_export_of(user=request.user, pk=pk)
    if export is None:
        raise Http404
    return render(
        request, "observations/partials/school_export_row.html", {"export": export}
    )


@ability_required("export_school_data")
def school_data_download(request, pk):
    export = selectors.school_export_of(user=request.user, pk=pk)
    if export is None or export.status != export.Status.DONE:
        raise Http404
    path = settings.VAR_DIR / export.file_name
    if not path.is_file():
        raise Http404
    day = export.created_at.astimezone(request.school.tz).date()
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"jel-school-data-{day:%Y-%m-%d}-{export.pk}.zip",
        content_type="application/zip",
    )
