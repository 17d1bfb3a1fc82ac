"""Downloads of the curriculum as a Common Cartridge, for lecturers (and admins) who put the course in their own
learning platform: CC 1.1 for Moodle, Thin CC 1.3 of LTI links for Brightspace and Canvas."""

from pathlib import Path

from flask import Blueprint, Response, current_app
from flask_login import login_required

from jimtraining.access import require

bp = Blueprint("cartridge", __name__, url_prefix="/export")

CC_MIMETYPE = "application/vnd.ims.imsccv1p1"
THIN_MIMETYPE = "application/vnd.ims.imsccv1p3"


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/common-cartridge")
@login_required
def common_cartridge():
    require("content.export")
    from jimtraining.cartridge.package import build_cc  # with lxml: loaded by the worker that builds a download

    export = build_cc(Path(current_app.config["MODULES_DIR"]))
    return _download(export.data, "jim-training.imscc", CC_MIMETYPE)


@bp.route("/common-cartridge-lti")
@login_required
def thin_cartridge():
    require("content.export")
    from jimtraining.cartridge.thin import build_thin

    data, _links = build_thin()
    return _download(data, "jim-training-lti.imscc", THIN_MIMETYPE)
