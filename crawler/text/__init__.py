"""Thai text: normalisation, Buddhist Era dates and fiscal years, URLs, display formatting, user-supplied files."""
