"""Sign-in through the municipality's identity provider (OpenID Connect, authorization code
flow with PKCE), with Authlib's OAuth 2 client and joserfc's JWT validation.

`begin` makes the provider's authorization address and the pending sign-in (state, nonce,
PKCE verifier), which the browser keeps in a short-lived signed cookie: any server process
can finish the sign-in, and nothing waits in one process's memory. `finish` checks the
state, redeems the code with the verifier and the client secret, and validates the ID token
(signature from the provider's published keys, issuer, audience, expiry, nonce). The
person's claims go no further than the one claim that names the Boligspor user.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import asdict, dataclass
from typing import Any

import httpx2
from authlib.integrations.httpx_client import OAuth2Client
from authlib.oauth2 import OAuth2Error
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from api.pages.state import PageError
from settings import Settings

PENDING_SECONDS = 600  # a sign-in must come back from the provider within ten minutes
CLOCK_LEEWAY_SECONDS = 60
HTTP_TIMEOUT_SECONDS = 10.0
DISCOVERY_SECONDS = 3600  # the provider's configuration and keys are fetched again after this
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "ES256", "ES384")


class SignInFailed(PageError):
    """Raised when a sign-in through the identity provider cannot be completed."""

    status = 400
    text_key = "oidc.failed"


@dataclass(frozen=True)
class PendingSignIn:
    """What the callback needs to finish one sign-in, kept by the browser until then."""

    state: str
    nonce: str
    verifier: str
    redirect_uri: str
    started: int


class IdentityProvider:
    """The configured OpenID provider: its discovery document and keys, cached."""

    def __init__(self, settings: Settings) -> None:
        assert settings.oidc_issuer and settings.oidc_client_id and settings.oidc_client_secret
        self.issuer = settings.oidc_issuer.rstrip("/")
        self.client_id = settings.oidc_client_id
        self.client_secret = settings.oidc_client_secret
        self.scope = settings.oidc_scopes
        self.claim = settings.oidc_user_claim
        self._signing_key = hashlib.sha256(
            b"boligspor pending sign-in\0" + self.client_secret.encode()
        ).digest()
        self._lock = threading.Lock()
        self._fetched = 0.0
        self._metadata: dict[str, Any] = {}
        self._keys: KeySet | None = None

    def _client(self, redirect_uri: str) -> OAuth2Client:
        return OAuth2Client(
            client_id=self.client_id,
            client_secret=self.client_secret,
            scope=self.scope,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            timeout=HTTP_TIMEOUT_SECONDS,
        )

    def _discovered(self, *, refresh: bool = False) -> tuple[dict[str, Any], KeySet]:
        with self._lock:
            stale = time.monotonic() - self._fetched > DISCOVERY_SECONDS
            if refresh or stale or self._keys is None:
                try:
                    with httpx2.Client(timeout=HTTP_TIMEOUT_SECONDS) as http:
                        url = f"{self.issuer}/.well-known/openid-configuration"
                        metadata = http.get(url).raise_for_status().json()
                        jwks = http.get(metadata["jwks_uri"]).raise_for_status().json()
                except (httpx2.HTTPError, ValueError, KeyError):
                    raise SignInFailed("oidc.unreachable") from None
                self._metadata, self._keys = metadata, KeySet.import_key_set(jwks)
                self._fetched = time.monotonic()
            assert self._keys is not None
            return self._metadata, self._keys

    def begin(self, redirect_uri: str, *, now: float) -> tuple[str, PendingSignIn]:
        """The provider's authorization address to send the browser to, and what to keep."""
        metadata, _ = self._discovered()
        pending = PendingSignIn(
            state=secrets.token_urlsafe(24),
            nonce=secrets.token_urlsafe(24),
            verifier=secrets.token_urlsafe(48),
            redirect_uri=redirect_uri,
            started=int(now),
        )
        with self._client(redirect_uri) as client:
            url, _ = client.create_authorization_url(
                metadata["authorization_endpoint"],
                state=pending.state,
                nonce=pending.nonce,
                code_verifier=pending.verifier,
            )
        return str(url), pending

    def finish(self, pending: PendingSignIn, state: str, code: str, *, now: float) -> str:
        """The user name the provider vouches for (the configured claim, lower-cased)."""
        if not hmac.compare_digest(pending.state.encode(), state.encode()):
            raise SignInFailed()
        if now - pending.started > PENDING_SECONDS:
            raise SignInFailed("oidc.expired")
        metadata, _ = self._discovered()
        try:
            with self._client(pending.redirect_uri) as client:
                token = client.fetch_token(
                    metadata["token_endpoint"],
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=pending.verifier,
                )
        except (OAuth2Error, httpx2.HTTPError, ValueError):
            raise SignInFailed() from None
        claims = self._validated(str(token.get("id_token", "")), pending.nonce, now)
        value = claims.get(self.claim)
        if not isinstance(value, str) or not value.strip():
            raise SignInFailed("oidc.no_claim")
        return value.strip().lower()

    def _validated(self, id_token: str, nonce: str, now: float) -> dict[str, Any]:
        _, keys = self._discovered()
        try:
            try:
                decoded = jwt.decode(id_token, keys, algorithms=SIGNING_ALGORITHMS)
            except JoseError:  # the provider may have rolled its keys since we fetched them
                _, keys = self._discovered(refresh=True)
                decoded = jwt.decode(id_token, keys, algorithms=SIGNING_ALGORITHMS)
            registry = jwt.JWTClaimsRegistry(
                now=int(now),
                leeway=CLOCK_LEEWAY_SECONDS,
                iss={"essential": True, "values": [self.issuer, self.issuer + "/"]},
                aud={"essential": True, "value": self.client_id},
                exp={"essential": True},
                sub={"essential": True},
                nonce={"essential": True, "value": nonce},
            )
            registry.validate(decoded.claims)
        except (JoseError, ValueError):
            raise SignInFailed() from None
        return dict(decoded.claims)

    # --- the pending sign-in, as the browser keeps it ------------------------------------------

    def seal(self, pending: PendingSignIn) -> str:
        body = base64.urlsafe_b64encode(json.dumps(asdict(pending)).encode()).decode()
        return f"{body}.{self._signature(body)}"

    def unseal(self, sealed: str | None) -> PendingSignIn:
        body, _, signature = (sealed or "").partition(".")
        if not body or not hmac.compare_digest(self._signature(body), signature):
            raise SignInFailed()
        try:
            return PendingSignIn(**json.loads(base64.urlsafe_b64decode(body)))
        except (ValueError, TypeError):
            raise SignInFailed() from None

    def _signature(self, body: str) -> str:
        return hmac.new(self._signing_key, body.encode(), hashlib.sha256).hexdigest()
