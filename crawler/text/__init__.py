"""Thai text: normalisation, Buddhist Era dates and fiscal years, URLs, user-supplied files."""
