"""The API docs page works offline: every asset it loads is served by the service."""

import re


def test_the_docs_page_loads_only_assets_the_service_serves(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.get_data(as_text=True))
    assert {a.rsplit("/", 1)[1] for a in assets} == {"swagger-ui.css", "swagger-ui-standalone-preset.js",
                                                     "swagger-ui-bundle.js"}
    for asset in assets:
        assert asset.startswith("/"), asset  # never another host
        served = client.get(asset)
        assert served.status_code == 200 and len(served.data) > 1000, asset
