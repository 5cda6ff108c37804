"""Reads and posts to a Civic gateway as a city's other Open311 apps would.

Reads go through `georeport` (PyPI), a GeoReport v2 client written apart from this project,
in JSON and XML. The post is a plain form post, as the spec describes it: no header the spec
does not name. Usage: GEOREPORT_API_KEY=… check.py ROOT (ROOT ends in /open311/v2; the key
comes from the environment, as georeport reads it, never the command line). Prints one line
per check and exits non-zero on the first failure.
"""

import os
import sys

import requests
from georeport import GeoReport


def check(what, condition, detail=""):
    if not condition:
        print(f"FAILED: {what} {detail}")
        sys.exit(1)
    print(f"ok: {what}")


def main(root, api_key):
    for output_format in ("json", "xml"):
        client = GeoReport(root, api_key=api_key, output_format=output_format)
        services = client.get_service_list()
        codes = [s["service_code"] for s in services]
        check(f"{output_format}: services listed", "chieu-sang" in codes, codes)
        definition = client.get_service_definition("chieu-sang")
        attributes = definition["attributes"]
        if output_format == "xml":
            attributes = attributes["attribute"]
            attributes = attributes if isinstance(attributes, list) else [attributes]
        check(
            f"{output_format}: the form's questions",
            any(a["code"] == "problem" for a in attributes),
            attributes,
        )

    # The spec's POST: form fields only, no Idempotency-Key.
    fields = {
        "api_key": api_key,
        "service_code": "chieu-sang",
        "lat": "16.0544",
        "long": "108.2022",
        "attribute[problem]": "off",
        "description": "Đèn đường không sáng",
    }
    ids = []
    for _ in range(2):
        answer = requests.post(f"{root}/requests.json", data=fields, timeout=30)
        check("posted without an Idempotency-Key", answer.status_code == 201, answer.text)
        ids.append(answer.json()[0]["service_request_id"])
    check("two posts are two reports", ids[0] != ids[1], ids)

    for output_format in ("json", "xml"):
        client = GeoReport(root, api_key=api_key, output_format=output_format)
        report = client.get_service_request(ids[0])
        check(
            f"{output_format}: the report read back",
            str(report["service_request_id"]) == ids[0]
            and report["service_code"] == "chieu-sang"
            and report["description"] == "Đèn đường không sáng"
            and report["status"] == "open",
            report,
        )
        listed = client.get_service_requests(service_request_id=",".join(ids))
        listed = listed if isinstance(listed, list) else [listed]
        listed_ids = sorted(str(r["service_request_id"]) for r in listed)
        check(f"{output_format}: both listed", listed_ids == sorted(ids), listed_ids)


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), os.environ["GEOREPORT_API_KEY"])
