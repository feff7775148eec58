"""The sandbox identity provider: it stands in for the court's case system (法综) sign-in (issue 18).

An OpenID Connect provider as the iGov profile sets it for government: authorization code flow only, PKCE with
S256 required, clients authenticate at the token endpoint with ``private_key_jwt`` (a JWT signed by the
client's own key, registered here as a public JWK), ID tokens signed RS256, and back-channel logout: when a
user signs out here, every relying party he used is told with a signed logout token and ends his session.

Its own process (``python -m sandbox.idp``), state in memory: staff come from a JSON file, clients too.
"""
