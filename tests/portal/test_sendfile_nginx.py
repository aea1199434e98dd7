"""Documents sent by nginx: Django answers with an empty body and X-Accel-Redirect only."""

import pytest
from wagtail.utils.sendfile import sendfile

from portal.sendfile_nginx import sendfile as nginx_backend


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.SENDFILE_URL = "/_protected_media/"
    (tmp_path / "documents").mkdir()
    path = tmp_path / "documents" / "办事指南.pdf"
    path.write_bytes(b"%PDF-1.4 twelve bytes")
    return path


def test_the_response_has_no_length_for_a_body_it_does_not_have(rf, media):
    # Wagtail's sendfile sets Content-Length to the file's size; an ASGI server refuses an empty
    # body with that header ("Response content shorter than Content-Length").
    response = sendfile(rf.get("/documents/1/"), str(media), backend=nginx_backend)
    assert response.content == b""
    assert "Content-Length" not in response
    assert response["X-Accel-Redirect"] == "/_protected_media/documents/%E5%8A%9E%E4%BA%8B%E6%8C%87%E5%8D%97.pdf"
    assert response["Content-Disposition"].startswith("inline")


def test_a_path_outside_the_media_root_is_refused(rf, media, tmp_path_factory):
    from django.core.exceptions import SuspiciousFileOperation

    outside = tmp_path_factory.mktemp("elsewhere") / "secret.txt"
    outside.write_text("x")
    with pytest.raises(SuspiciousFileOperation):
        sendfile(rf.get("/documents/2/"), str(outside), backend=nginx_backend)
