"""Uploaded videos and captions: checked by their content, limited in size, served only to
those who may see them, with the right content type."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from community.models import Resource

MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 64
VTT = b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, video=None, captions=None, body="", publish=True, audience="everyone"):
    data = {"kind": "video", "title": "Uploaded film", "summary": "A short film", "body": body,
            "minutes": 3, "audience": audience}
    if publish:
        data["publish"] = "on"
    if video is not None:
        data["video_file"] = video
    if captions is not None:
        data["captions_file"] = captions
    return client.post(reverse("resource_write"), data)


def test_an_mp4_with_captions_is_published_and_served(client_for, people):
    client = client_for(people["clinician"])
    response = upload(client, SimpleUploadedFile("film.mp4", MP4),
                      SimpleUploadedFile("film.vtt", VTT))
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.video_type == "video/mp4" and resource.status == "published"
    member = client_for(people["member"])
    page = member.get(reverse("library_resource", args=[resource.pk])).content.decode()
    assert "<video" in page and 'kind="captions"' in page
    video = member.get(reverse("library_media", args=[resource.pk, "video"]))
    assert video["Content-Type"] == "video/mp4" and b"".join(video.streaming_content) == MP4
    captions = member.get(reverse("library_media", args=[resource.pk, "captions"]))
    assert captions["Content-Type"] == "text/vtt"


def test_webm_is_recognised_by_its_content_not_its_name(client_for, people):
    upload(client_for(people["clinician"]), SimpleUploadedFile("film.txt", WEBM), body="Words")
    assert Resource.objects.get().video_type == "video/webm"


@pytest.mark.parametrize(
    "fake", [SimpleUploadedFile("film.mp4", b"<html><script>alert(1)</script></html>"),
             SimpleUploadedFile("film.webm", b"GIF89a" + b"\x00" * 40)],
)
def test_a_fake_extension_is_refused(client_for, people, fake):
    response = upload(client_for(people["clinician"]), fake, body="Transcript")
    assert response.status_code == 400
    assert "isn&#x27;t an MP4 or WebM video" in response.content.decode()
    assert not Resource.objects.exists()


def test_too_large_is_refused(client_for, people, settings):
    settings.LIBRARY_VIDEO_MAX_BYTES = 32
    response = upload(client_for(people["clinician"]), SimpleUploadedFile("film.mp4", MP4),
                      body="Transcript")
    assert response.status_code == 400 and "Videos can be up to" in response.content.decode()


def test_captions_must_be_webvtt(client_for, people):
    response = upload(client_for(people["clinician"]), SimpleUploadedFile("film.mp4", MP4),
                      SimpleUploadedFile("film.vtt", b"1\n00:00:00,000 --> 00:00:02,000\nHi"))
    assert response.status_code == 400 and "WebVTT" in response.content.decode()


def test_no_captions_and_no_transcript_cannot_be_published(client_for, people):
    response = upload(client_for(people["clinician"]), SimpleUploadedFile("film.mp4", MP4))
    assert response.status_code == 400
    assert "without captions or a transcript" in response.content.decode()
    assert not Resource.objects.filter(status="published").exists()


def test_files_are_served_only_to_the_resources_audience(client_for, people):
    upload(client_for(people["clinician"]), SimpleUploadedFile("film.mp4", MP4), body="T",
           audience="carers")
    resource = Resource.objects.get()
    url = reverse("library_media", args=[resource.pk, "video"])
    assert client_for(people["member"]).get(url).status_code == 404
    assert client_for(people["carer"]).get(url).status_code == 200
    assert client_for(people["carer"]).get(
        reverse("library_media", args=[resource.pk, "secrets"])).status_code == 404
