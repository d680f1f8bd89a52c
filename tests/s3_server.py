"""A real S3-compatible server on 127.0.0.1 for tests: moto's server mode (`moto[server]`).

The site talks to it over HTTP with boto3 exactly as it would to MinIO or AWS; nothing leaves
the machine. `running_s3()` yields the settings a site needs (FLASK_S3_* without the prefix).
"""
from __future__ import annotations

import logging
import socket
import uuid
from contextlib import contextmanager

ACCESS_KEY = "testing"
SECRET_KEY = "testing"
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_s3():
    """Start moto's S3 server; yield `new_bucket()` -> (settings, boto3 client) for a fresh bucket."""
    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per S3 request
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.session.Session().client("s3", endpoint_url=endpoint, region_name=REGION,
                                            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)

    def new_bucket():
        bucket = f"choque-{uuid.uuid4().hex[:12]}"
        client.create_bucket(Bucket=bucket)
        return {"S3_BUCKET": bucket, "S3_ENDPOINT_URL": endpoint, "S3_REGION": REGION,
                "S3_ACCESS_KEY_ID": ACCESS_KEY, "S3_SECRET_ACCESS_KEY": SECRET_KEY}, client

    try:
        yield new_bucket
    finally:
        server.stop()


def bucket_objects(client, bucket: str) -> dict:
    """Every object's bytes by key."""
    objects = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", ()):
            objects[item["Key"]] = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
    return objects
