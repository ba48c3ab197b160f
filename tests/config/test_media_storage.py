"""Uploads on S3-compatible storage (django-storages), against a real S3 API on 127.0.0.1
(moto's server): images and their renditions land in the bucket, pages link them with plain
public URLs (the same bytes for every reader), and production settings switch to it when a
bucket is named."""

import json

import boto3
import pytest
from moto.server import ThreadedMotoServer

from medical_content import factories

from .test_settings import REQUIRED, _run_under_production

BUCKET = "clearwell-media"
CDN = "media.health.example.org"


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, monkeypatch, settings):
    for name, value in (
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_DEFAULT_REGION", "eu-west-2"),
    ):
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint)
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "custom_domain": CDN,
                "querystring_auth": False,
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }
    yield client
    for listed in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=listed["Key"])
    client.delete_bucket(Bucket=BUCKET)


def stored_keys(client) -> set[str]:
    return {o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


@pytest.mark.django_db
def test_an_expert_photo_and_its_rendition_go_to_the_bucket_and_the_page_links_them_plainly(
    bucket, client, expert_index
):
    photo = factories.ImageFactory(title="Portrait")
    expert = factories.ExpertProfilePageFactory(parent=expert_index, photo=photo)
    assert photo.file.name in stored_keys(bucket)

    response = client.get(expert.url)
    assert response.status_code == 200
    page = response.content.decode()
    renditions = [key for key in stored_keys(bucket) if key.startswith("images/")]
    assert renditions, "the profile's rendition was not written to the bucket"
    assert f"https://{CDN}/{renditions[0]}" in page
    assert "X-Amz-Signature" not in page and "Signature=" not in page
    # The same bytes on the next render: nothing per request in the URLs.
    assert client.get(expert.url).content == response.content


def test_production_uses_the_bucket_when_one_is_named_and_the_disk_otherwise():
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.STORAGES['default'],"
        " getattr(settings, 'WAGTAILDOCS_SERVE_METHOD', None)]))"
    )
    named = {
        **REQUIRED,
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_CUSTOM_DOMAIN": CDN,
        "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
    }
    storage, serve = json.loads(_run_under_production(["-c", code], named).stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == BUCKET
    assert storage["OPTIONS"]["custom_domain"] == CDN
    assert storage["OPTIONS"]["querystring_auth"] is False
    assert serve == "serve_view"
    storage, serve = json.loads(_run_under_production(["-c", code], REQUIRED).stdout)
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert serve is None
