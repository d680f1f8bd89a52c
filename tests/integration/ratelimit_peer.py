"""A second app server for tests/integration/test_rate_limits.py: a separate process with its
own limiter, on the same database and Redis. Reads a JSON config from argv[1], sends argv[2]
searches from the address argv[3] without cookies, and prints each status on one line."""
import json
import sys

from app import create_app


def main():
    config, count, address = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    client = create_app(config).test_client(use_cookies=False)
    statuses = [client.get("/api/search?q=mat+ong", environ_base={"REMOTE_ADDR": address}).status_code
                for _ in range(count)]
    print(" ".join(str(status) for status in statuses))


if __name__ == "__main__":
    main()
