"""A small keep-alive HTTP client with a cookie session, as a browser signed in to the service.

Standard library only (http.client): the load generator shares two cores with the server, so the
client should cost as little per request as possible.
"""

from __future__ import annotations

import http.client
import re
import time
from urllib.parse import urlencode, urlsplit

import pyotp

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class BenchError(RuntimeError):
    """The benchmark could not do what a person could: sign in, open a form."""


class Browser:
    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}
        self.connection = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=60)

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        """Status, Location header and body; redirects are returned, not followed."""
        headers = {"Connection": "keep-alive"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode()
                break
            except (http.client.HTTPException, ConnectionError):
                # gunicorn recycles workers (max_requests): open a new connection once.
                self.connection.close()
                self.connection = self._connect()
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if "Expires=Thu, 01 Jan 1970" in value or not cookie_value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = cookie_value
        return response.status, response.getheader("Location") or "", text

    def get(self, path: str) -> tuple[int, str, str]:
        return self.request("GET", path)

    def csrf_token(self, path: str) -> str:
        status, _location, text = self.get(path)
        match = CSRF.search(text)
        if status != 200 or not match:
            raise BenchError(f"no form at {path} (status {status})")
        return match.group(1)

    def post_form(self, path: str, form: dict, *, token_from: str | None = None):
        token = self.csrf_token(token_from or path)
        return self.request("POST", path, {**form, "csrf_token": token})

    def sign_in(self, email: str, password: str, totp_secret: str | None = None) -> None:
        status, location, _ = self.post_form("/auth/login", {"email": email, "password": password})
        if status != 302:
            raise BenchError(f"sign-in refused for {email} (status {status})")
        if location.endswith("/auth/two-factor"):
            self._second_step(email, totp_secret)

    def _second_step(self, email: str, totp_secret: str | None) -> None:
        if not totp_secret:
            raise BenchError(f"{email} needs a code and no authenticator secret was given")
        for _ in range(2):
            code = pyotp.TOTP(totp_secret).now()
            status, _location, _ = self.post_form("/auth/two-factor", {"code": code})
            if status == 302:
                return
            # A code is accepted once per 30-second step: wait for the next one.
            time.sleep(31 - time.time() % 30)
        raise BenchError(f"second step refused for {email}")
