"""Application intake, a sub-feature of bankruptcy with pages, an API and URLs of its own: the filing clerk
registers an application (the 破申 review case), the judge rules on it and appoints the administrator. Its
rules live in ``bankruptcy.acceptance``; these modules are glue."""
